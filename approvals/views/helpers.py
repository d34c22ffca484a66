"""Small helpers shared by the page modules."""

from django.contrib import messages
from django.shortcuts import get_object_or_404

from ..models import Application, TransitionLog


def visible_application(user, pk):
    """404, not 403, for an application the user may not see: its existence
    is nobody else's business."""
    return get_object_or_404(
        Application.objects.visible_to(user).select_related(
            "project__enterprise", "project__jurisdiction", "stage"
        ),
        pk=pk,
    )


def application_context(application, user):
    """Everything the application page shows, in a fixed number of queries."""
    tasks = list(application.tasks.select_related("matter", "department", "reviewer"))
    return {
        "application": application,
        "project": application.project,
        "form_rows": [
            (field.label, application.form_data.get(field.key, ""))
            for field in application.stage.form_fields.all()
        ],
        "materials": list(application.materials.all()),
        "tasks": tasks,
        "timeline": list(
            TransitionLog.objects.filter(application=application).select_related("actor")
        ),
        "certificates": list(application.certificates.select_related("certificate_type")),
        "transitions": {t.name for t in application.get_available_user_state_transitions(user)},
    }


def report_service_error(request, error):
    messages.error(request, error.message)
    for problem in error.problems:
        messages.error(request, problem)
