"""督办 from the dashboard: flag an overdue task, or close an escalation."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import ReviewTask

from .. import escalations
from ..forms import EscalationForm
from ..models import Escalation
from ..scope import Scope
from .access import supervisor_required


def _back(request):
    """Where to return: the page the supervisor came from, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse("supervision:dashboard")


@supervisor_required
def escalate(request, pk):
    scope = Scope.for_user(request.user)
    task = get_object_or_404(
        ReviewTask.objects.select_related(
            "matter", "department", "jurisdiction", "application__project"
        ),
        pk=pk,
    )
    if not scope.covers(task.jurisdiction_id):
        raise Http404
    today = timezone.localdate()
    problem = escalations.check(task, scope, today)
    form = EscalationForm(request.POST or None)
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            escalations.escalate(
                task.pk,
                request.user,
                scope,
                form.cleaned_data["note"],
                form.cleaned_data["new_deadline"],
                today,
            )
        except escalations.EscalationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已督办，审查部门的待办列表会将其置顶。"))
            return redirect(_back(request))
    return render(
        request,
        "supervision/escalate.html",
        {
            "task": task,
            "form": form,
            "problem": problem,
            "next": _back(request),
            "open_escalation": Escalation.objects.open().filter(task=task).first(),
        },
        status=400 if request.method == "POST" else 200,
    )


@supervisor_required
@require_POST
def resolve(request, pk):
    escalation = get_object_or_404(Escalation, pk=pk)
    try:
        escalations.resolve(escalation.pk, Scope.for_user(request.user))
    except escalations.EscalationError as error:
        raise Http404 from error
    messages.success(request, _("督办已办结。"))
    return redirect(_back(request))
