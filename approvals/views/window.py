"""The window clerk's decisions on one application (容缺, 补正, 不予受理,
clearing a 容缺, 送达). Each view validates its form and calls one service."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import Role

from .. import services
from ..forms import CorrectionForm, DeficiencyForm, DeliveryForm, RefusalForm
from .helpers import perform, report_service_error, visible_application
from .staff import role_required


def _decide(request, pk, form, call, success):
    return perform(
        request, lambda: call(form), success, redirect("application_detail", pk=pk), form=form
    )


@role_required(Role.CLERK)
@require_POST
def accept_with_deficiency(request, pk):
    application = visible_application(request.user, pk)
    form = DeficiencyForm(
        request.POST,
        missing_non_key=[r for r in application.applicable_materials() if not r["key"]],
    )
    return _decide(
        request,
        pk,
        form,
        lambda f: services.accept_with_deficiency(
            application.pk,
            request.user,
            f.cleaned_data["missing"],
            f.cleaned_data["commitment"],
            f.cleaned_data["committed_by"],
            f.cleaned_data["supply_days"],
        ),
        _("已容缺受理；证照将在容缺材料补齐后发放。"),
    )


@role_required(Role.CLERK)
@require_POST
def request_correction(request, pk):
    application = visible_application(request.user, pk)
    form = CorrectionForm(
        request.POST,
        configuration=application.configuration,
        answers=application.situation_answers,
    )
    return _decide(
        request,
        pk,
        form,
        lambda f: services.request_correction(application.pk, request.user, f.items()),
        _("已一次性告知补正，审批时限暂停计算。"),
    )


@role_required(Role.CLERK)
@require_POST
def refuse(request, pk):
    application = visible_application(request.user, pk)
    return _decide(
        request,
        pk,
        RefusalForm(request.POST),
        lambda f: services.refuse_application(
            application.pk, request.user, f.cleaned_data["reason"], f.cleaned_data["legal_basis"]
        ),
        _("已作出不予受理决定。"),
    )


@role_required(Role.CLERK)
@require_POST
def clear_deficiency(request, pk):
    application = visible_application(request.user, pk)
    try:
        services.clear_deficiency(application.pk, request.user)
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, _("容缺材料已补齐。"))
    return redirect("application_detail", pk=pk)


@role_required(Role.CLERK)
@require_POST
def deliver(request, pk):
    application = visible_application(request.user, pk)
    form = DeliveryForm(request.POST)
    return _decide(
        request,
        pk,
        form,
        lambda f: services.record_delivery(
            application.pk,
            request.user,
            **{k: v for k, v in f.cleaned_data.items() if v is not None},
        ),
        _("已登记送达。"),
    )
