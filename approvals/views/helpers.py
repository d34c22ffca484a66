"""Small helpers shared by the page modules."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from portal.credit import credit_source

from .. import services
from ..forms import (
    CorrectionForm,
    DeficiencyForm,
    DeliveryChoiceForm,
    DeliveryForm,
    RefusalForm,
    SupplementAnswerForm,
    SuspensionForm,
    WithdrawForm,
)
from ..models import Application, Deficiency, Delivery, TransitionLog
from ..services import edit_scope, material_slots, missing_materials, reusable_materials
from ..services.drafting import DELIVERY_CHOICE_STATES


def visible_application(user, pk, rule=None):
    """404, not 403, for an application the user may not see: its existence
    is nobody else's business. With `rule` (a rules name), 403 for one the
    user sees but may not act on — whatever state it is in."""
    application = get_object_or_404(
        Application.objects.visible_to(user).select_related(
            "project__enterprise", "project__jurisdiction", "stage"
        ),
        pk=pk,
    )
    if rule is not None and not rules.test_rule(rule, user, application):
        raise PermissionDenied
    return application


def application_context(application, user):
    """Everything the application page shows, in a fixed number of queries."""
    tasks = list(application.tasks.select_related("matter", "department", "reviewer"))
    transitions = {t.name for t in application.get_available_user_state_transitions(user)}
    configuration = application.configuration
    materials = list(application.materials.all())
    delivery = Delivery.objects.filter(application=application).first()
    situations = {s["code"]: s["question"] for s in configuration.situations}
    may_edit = user.has_perm("approvals.edit_application", application)
    scope = edit_scope(application) if may_edit else None
    reusable = reusable_materials(application) if scope is not None else {}
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
                scope is not None and scope.allows_material(requirement["kind"]),
                reusable.get(requirement["kind"], []),
            )
            for requirement, files, from_certificate in material_slots(application, materials)
        ],
        "tasks": tasks,
        "timeline": list(
            TransitionLog.objects.filter(application=application).select_related("actor")
        ),
        "certificates": [
            (certificate, delivery is not None and delivery.covers(certificate))
            for certificate in application.certificates.select_related("certificate_type")
        ],
        "transitions": transitions,
        "notices": list(application.notices.all()),
        "correction_notice": application.correction_notices.first(),
        "deficiency": Deficiency.objects.filter(application=application).first(),
        "delivery": delivery,
        "open_suspensions": [
            s for s in application.suspensions.select_related("task__matter") if s.ended_on is None
        ],
        "suspension_form": SuspensionForm() if "suspend" in transitions else None,
        "supplement_tasks": [t for t in tasks if t.state == "needs_supplement"],
        "supplement_answer_form": SupplementAnswerForm() if may_edit else None,
        "can_edit_form": scope is not None and scope.field_keys != frozenset(),
        "delivery_choice_form": _delivery_choice_form(application, user),
        **_window_forms(application, transitions),
    }


def _window_forms(application, transitions):
    """The clerk's decision forms, only when a decision is possible."""
    forms = {}
    if "accept" in transitions:
        forms["credit"] = credit_source().status(application.project.enterprise.credit_code)
        missing = missing_materials(application)
        forms["missing_materials"] = missing
        forms["deficiency_form"] = DeficiencyForm(
            missing_non_key=[r for r in missing if not r["key"]],
            initial={"missing": [r["kind"] for r in missing if not r["key"]]},
        )
        forms["correction_form"] = CorrectionForm(
            configuration=application.configuration, answers=application.situation_answers
        )
        forms["refusal_form"] = RefusalForm()
    if "deliver" in transitions:
        forms["delivery_form"] = DeliveryForm(
            initial={
                "method": application.delivery_method or None,
                "address": application.delivery_address,
            }
        )
    if "withdraw" in transitions:
        forms["withdraw_form"] = WithdrawForm()
    return forms


def _delivery_choice_form(application, user):
    """Changing how the result reaches the applicant, while that is possible."""
    if application.state in DELIVERY_CHOICE_STATES and rules.test_rule(
        "choose_delivery", user, application
    ):
        return DeliveryChoiceForm(application=application)
    return None


def _display(value):
    if isinstance(value, list):
        return "、".join(value)
    return {"yes": _("是"), "no": _("否")}.get(value, value or "")


def perform(request, call, success, back, form=None):
    """Validate `form` (if any), run one service call, turn a ServiceError
    into messages, and redirect to `back` either way."""
    if form is not None and not form.is_valid():
        report_form_errors(request, form)
        return back
    try:
        call()
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, success)
    return back


def report_form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def report_service_error(request, error):
    messages.error(request, error.message)
    for problem in error.problems:
        messages.error(request, problem)
