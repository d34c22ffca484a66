"""The clerk's desk: pick a window, call the next number, recall, start,
finish or mark a no-show. Every action is a POST that calls a service and
redirects back with a message."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.models import Role

from .. import services
from ..forms import WindowChoiceForm
from ..models import Ticket, Window

WINDOW_SESSION_KEY = "queueing_window_id"


def clerk_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.CLERK or not hasattr(request.user, "staff_membership"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _session_window(request):
    """The window chosen in this session, if it is still in the clerk's hall."""
    pk = request.session.get(WINDOW_SESSION_KEY)
    if pk is None:
        return None
    return Window.objects.filter(
        pk=pk, active=True, jurisdiction_id=request.user.staff_membership.jurisdiction_id
    ).first()


@clerk_required
def desk(request):
    window = _session_window(request)
    if window is None:
        return redirect("queueing:desk_window")
    current = (
        Ticket.objects.held_by(request.user)
        .select_related("service_type", "window")
        .order_by("-called_at")
        .first()
    )
    waiting = list(window.service_types.filter(active=True).with_waiting(timezone.localdate()))
    return render(
        request,
        "queueing/desk.html",
        {
            "window": window,
            "current": current,
            "waiting": waiting,
            "total_waiting": sum(service.waiting for service in waiting),
        },
    )


@clerk_required
@require_http_methods(["GET", "POST"])
def choose_window(request):
    jurisdiction_id = request.user.staff_membership.jurisdiction_id
    form = WindowChoiceForm(
        request.POST or None,
        jurisdiction_id=jurisdiction_id,
        initial={"window": request.session.get(WINDOW_SESSION_KEY)},
    )
    if request.method == "POST" and form.is_valid():
        window = form.cleaned_data["window"]
        request.session[WINDOW_SESSION_KEY] = window.pk
        messages.success(request, _("已选择%(window)s。") % {"window": window.name})
        return redirect("queueing:desk")
    return render(request, "queueing/desk_window.html", {"form": form})


@clerk_required
@require_POST
def call_next(request):
    window = _session_window(request)
    if window is None:
        return redirect("queueing:desk_window")
    try:
        ticket = services.call_next(request.user, window)
    except services.QueueError as error:
        messages.error(request, error.message)
    else:
        if ticket is None:
            messages.warning(request, _("当前没有等候的号，请稍后再叫。"))
        else:
            messages.success(
                request,
                _("已呼叫 %(number)s，请到%(window)s。")
                % {"number": ticket.number, "window": window.name},
            )
    return redirect("queueing:desk")


TICKET_ACTIONS = {
    "recall": (services.recall, gettext_lazy("已重呼 %(number)s。")),
    "start": (services.start_serving, gettext_lazy("%(number)s 开始办理。")),
    "finish": (services.finish, gettext_lazy("%(number)s 已办结。")),
    "no-show": (services.mark_no_show, gettext_lazy("%(number)s 已过号。")),
}


@clerk_required
@require_POST
def ticket_action(request, pk, action):
    if action not in TICKET_ACTIONS:
        raise Http404
    service, done_message = TICKET_ACTIONS[action]
    ticket = get_object_or_404(Ticket, pk=pk, clerk=request.user)
    try:
        ticket = service(ticket, request.user)
    except services.QueueError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done_message % {"number": ticket.number})
    return redirect("queueing:desk")
