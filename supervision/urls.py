from django.urls import path

from .views import dashboard, escalations, reports

app_name = "supervision"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export/<slug:key>.<str:fmt>", dashboard.export, name="export"),
    path("tasks/<int:pk>/escalate/", escalations.escalate, name="escalate"),
    path("escalations/<int:pk>/resolve/", escalations.resolve, name="resolve"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>/<str:fmt>/", reports.report_download, name="report_download"),
]
