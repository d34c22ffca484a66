"""The back-office: the window clerk's inbox and acceptance, the department
reviewer's inbox and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import Role
from portal.tabular import FORMATS, download

from .. import services
from ..forms import OpinionForm, SupplementRequestForm, SuspensionForm
from ..inbox import InboxFilterForm, annotate_rows, export_table, state_counts
from ..models import Application, ApplicationState, ReviewTask
from ..task_inbox import CappedPaginator, TaskInboxForm, split_escalated
from ..task_inbox import export_table as task_export_table
from ..task_inbox import state_counts as task_state_counts
from .helpers import application_context, report_service_error, visible_application

PAGE_SIZE = 20


def role_required(role):
    def decorator(view):
        def wrapped(request, *args, **kwargs):
            if request.user.role != role or not hasattr(request.user, "staff_membership"):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


@role_required(Role.CLERK)
def clerk_inbox(request):
    scoped = Application.objects.visible_to(request.user).exclude(state=ApplicationState.DRAFT)
    form = InboxFilterForm(request.GET)
    applications = form.filtered(scoped).select_related("project__enterprise", "stage")
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    annotate_rows(page.object_list)
    return render(
        request,
        "staff/clerk_inbox.html",
        {
            "page": page,
            "form": form,
            "counts": state_counts(scoped),
            "filters": form.query_string(),
            "current_state": form.data.get("state", ""),
        },
    )


@role_required(Role.CLERK)
def clerk_inbox_export(request, fmt):
    """The inbox list with its filters applied, every row, as CSV or XLSX."""
    if fmt not in FORMATS:
        raise Http404
    scoped = Application.objects.visible_to(request.user).exclude(state=ApplicationState.DRAFT)
    form = InboxFilterForm(request.GET)
    applications = form.filtered(scoped).select_related("project__enterprise", "stage")
    name = f"applications-{timezone.localdate():%Y%m%d}"
    return download([export_table(applications)], name, fmt)


@role_required(Role.CLERK)
@require_POST
def application_accept(request, pk):
    application = visible_application(request.user, pk)
    try:
        services.accept_application(application.pk, request.user, request.POST.get("comment", ""))
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, _("已受理，审查任务已并联分发到各部门。"))
    return redirect("application_detail", pk=pk)


@role_required(Role.REVIEWER)
def reviewer_inbox(request):
    scoped = ReviewTask.objects.for_reviewer(request.user)
    form = TaskInboxForm(request.GET)
    related = ("matter", "application__project__enterprise", "application__stage", "reviewer")
    escalated, others = split_escalated(form.filtered(scoped).select_related(*related))
    page = CappedPaginator(others.order_by(*form.ordering()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "staff/reviewer_inbox.html",
        {
            "page": page,
            "escalated": list(escalated),
            "form": form,
            "counts": task_state_counts(scoped),
            "filters": form.query_string(),
            "current_state": form.data.get("state", ""),
        },
    )


def _reviewer_task(user, pk):
    return get_object_or_404(
        ReviewTask.objects.for_reviewer(user).select_related(
            "matter", "application__project__enterprise", "application__stage"
        ),
        pk=pk,
    )


@role_required(Role.REVIEWER)
def reviewer_inbox_export(request, fmt):
    """The task list with its filters applied, every row, as CSV or XLSX."""
    if fmt not in FORMATS:
        raise Http404
    form = TaskInboxForm(request.GET)
    related = ("matter", "application__project__enterprise", "application__stage", "reviewer")
    tasks = form.filtered(ReviewTask.objects.for_reviewer(request.user)).select_related(*related)
    name = f"tasks-{timezone.localdate():%Y%m%d}"
    return download([task_export_table(tasks.order_by(*form.ordering()))], name, fmt)


@role_required(Role.REVIEWER)
def task_detail(request, pk):
    task = _reviewer_task(request.user, pk)
    context = application_context(task.application, request.user)
    context.update(
        task=task,
        opinion_form=OpinionForm(),
        supplement_request_form=SupplementRequestForm(),
        task_suspension_form=SuspensionForm(),
        task_transitions={t.name for t in task.get_available_user_state_transitions(request.user)},
    )
    return render(request, "staff/task_detail.html", context)


@role_required(Role.REVIEWER)
@require_POST
def task_claim(request, pk):
    task = _reviewer_task(request.user, pk)
    try:
        services.claim_task(task.pk, request.user)
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, _("已签收，请开始审查。"))
    return redirect("task_detail", pk=pk)


@role_required(Role.REVIEWER)
@require_POST
def task_decide(request, pk):
    task = _reviewer_task(request.user, pk)
    form = OpinionForm(request.POST)
    form.is_valid()
    opinion = form.cleaned_data.get("opinion", "")
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            services.approve_task(task.pk, request.user, opinion)
            messages.success(request, _("已出具通过意见。"))
        elif decision == "reject":
            services.reject_task(task.pk, request.user, opinion)
            messages.success(request, _("已出具不通过意见。"))
        else:
            messages.error(request, _("请选择审查结论。"))
    except services.ServiceError as error:
        report_service_error(request, error)
    return redirect("task_detail", pk=pk)
