"""Top-level URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, member_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/register/", views.register, name="register"),
    path("enterprise/members/", member_views.members, name="enterprise_members"),
    path("enterprise/members/invite/", member_views.invite, name="enterprise_invite"),
    path(
        "enterprise/members/<int:pk>/remove/", member_views.remove, name="enterprise_member_remove"
    ),
    path(
        "enterprise/invitations/<int:pk>/resend/",
        member_views.resend,
        name="enterprise_invitation_resend",
    ),
    path(
        "enterprise/invitations/<int:pk>/revoke/",
        member_views.revoke,
        name="enterprise_invitation_revoke",
    ),
    path("invitations/<str:token>/", member_views.accept, name="invitation_accept"),
    path("notifications/", views.notifications, name="notifications"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("guides/", include("stages.urls")),
    path("queue/", include("queueing.urls")),
    path("api/", include("api.urls")),
    path("staff/supervision/", include("supervision.urls")),
    path("", include("approvals.urls")),
]
