"""Pages that stop and restart the clock: 特别程序 of a task (reviewer) or
an application (clerk), supplement requests and the applicant's answer."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import SupplementAnswerForm, SupplementRequestForm, SuspensionForm
from ..models import ReviewTask, Suspension
from ..services import clock
from .helpers import perform, visible_application


@login_required
@require_POST
def suspend_application(request, pk):
    application = visible_application(request.user, pk, rule="suspend_application")
    form = SuspensionForm(request.POST)
    return perform(
        request,
        lambda: clock.suspend(
            application.pk,
            request.user,
            form.cleaned_data["kind"],
            form.cleaned_data["reason"],
            form.cleaned_data["expected_working_days"],
        ),
        _("已启动特别程序，审批时限暂停计算，已书面告知申请人。"),
        redirect("application_detail", pk=pk),
        form=form,
    )


@login_required
@require_POST
def suspend_task(request, pk):
    task = get_object_or_404(ReviewTask.objects.for_reviewer(request.user), pk=pk)
    form = SuspensionForm(request.POST)
    return perform(
        request,
        lambda: clock.suspend(
            task.application_id,
            request.user,
            form.cleaned_data["kind"],
            form.cleaned_data["reason"],
            form.cleaned_data["expected_working_days"],
            task_id=task.pk,
        ),
        _("已启动特别程序，本事项时限暂停计算。"),
        redirect("task_detail", pk=pk),
        form=form,
    )


@login_required
@require_POST
def resume_suspension(request, pk):
    suspension = get_object_or_404(Suspension, pk=pk)
    application = visible_application(request.user, suspension.application_id)
    back = (
        redirect("task_detail", pk=suspension.task_id)
        if suspension.task_id and request.user.role == "reviewer"
        else redirect("application_detail", pk=application.pk)
    )
    return perform(
        request,
        lambda: clock.resume(suspension.pk, request.user),
        _("特别程序已结束，恢复计时。"),
        back,
    )


@login_required
@require_POST
def request_supplement(request, pk):
    task = get_object_or_404(ReviewTask.objects.for_reviewer(request.user), pk=pk)
    form = SupplementRequestForm(request.POST)
    return perform(
        request,
        lambda: clock.request_supplement(task.pk, request.user, form.cleaned_data["request"]),
        _("已要求申请人补充材料，本事项时限暂停计算。"),
        redirect("task_detail", pk=pk),
        form=form,
    )


@login_required
@require_POST
def answer_supplement(request, pk, task_pk):
    application = visible_application(request.user, pk)
    task = get_object_or_404(ReviewTask, pk=task_pk, application=application)
    form = SupplementAnswerForm(request.POST, request.FILES)

    return perform(
        request,
        lambda: clock.answer_supplement(
            task.pk, request.user, form.cleaned_data["answer"], form.cleaned_data.get("file")
        ),
        _("补充材料已提交，审查继续。"),
        redirect("application_detail", pk=pk),
        form=form,
    )
