"""Small helpers shared by the page modules."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..forms import MaterialForm
from ..models import Application, TransitionLog
from ..services import material_slots


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
    configuration = application.configuration
    materials = list(application.materials.all())
    situations = {s["code"]: s["question"] for s in configuration.situations}
    return {
        "application": application,
        "project": application.project,
        "form_rows": [
            (
                spec.get("section", ""),
                spec["label"],
                _display(application.form_data.get(spec["key"])),
            )
            for spec in configuration.form_fields
        ],
        "situation_rows": [
            (situations.get(code, code), answer)
            for code, answer in application.situation_answers.items()
        ],
        "materials": materials,
        "material_slots": [
            (
                requirement,
                files,
                from_certificate,
                MaterialForm(initial={"kind": requirement["kind"]}),
            )
            for requirement, files, from_certificate in material_slots(application, materials)
        ],
        "tasks": tasks,
        "timeline": list(
            TransitionLog.objects.filter(application=application).select_related("actor")
        ),
        "certificates": list(application.certificates.select_related("certificate_type")),
        "transitions": {t.name for t in application.get_available_user_state_transitions(user)},
    }


def _display(value):
    if isinstance(value, list):
        return "、".join(value)
    return {"yes": _("是"), "no": _("否")}.get(value, value or "")


def report_service_error(request, error):
    messages.error(request, error.message)
    for problem in error.problems:
        messages.error(request, problem)
