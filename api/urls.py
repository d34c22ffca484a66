"""`/api/v1/…`, the schema at `/api/schema/`, docs at `/api/docs/`; any
other address under `/api/` is a JSON 404 like every API error.

A later incompatible version gets its own `v2/` list beside this one."""

from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.routers import SimpleRouter

from .exceptions import not_found
from .views.applications import ApplicationViewSet
from .views.catalogue import StageViewSet
from .views.certificates import CertificateVerifyView, CertificateViewSet
from .views.projects import ProjectViewSet
from .views.review import TaskViewSet

app_name = "api"

v1 = SimpleRouter()
v1.register("stages", StageViewSet, basename="stage")
v1.register("projects", ProjectViewSet, basename="project")
v1.register("applications", ApplicationViewSet, basename="application")
v1.register("tasks", TaskViewSet, basename="task")
v1.register("certificates", CertificateViewSet, basename="certificate")

urlpatterns = [
    path(
        "v1/certificates/verify/<str:number>/",
        CertificateVerifyView.as_view(),
        name="certificate-verify",
    ),
    path("v1/", include(v1.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Ending in a slash, so a missing slash is still redirected to a resource.
    re_path(r"^(?:.*/)?$", not_found),
]
