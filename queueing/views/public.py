"""Public pages of a hall, no login: the kiosk where visitors take a number,
the printable ticket, and the display that shows who is called where."""

from django.contrib import messages
from django.core import signing
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from stages.models import Jurisdiction

from .. import services
from ..board import board_json, hall_board
from ..forms import TakeTicketForm
from ..models import ServiceType, Ticket

# The ticket page's address carries a signed ticket id, so numbers cannot be
# enumerated by counting ids; it stays valid for the day it was taken.
TICKET_SALT = "queueing.ticket"
TICKET_MAX_AGE = 24 * 60 * 60
# The display polls its JSON this often; without JavaScript it reloads.
POLL_MILLISECONDS = 3000
NOSCRIPT_REFRESH_SECONDS = 10


def _hall(code):
    return get_object_or_404(Jurisdiction, code=code)


@require_http_methods(["GET", "POST"])
def kiosk(request, jurisdiction_code):
    jurisdiction = _hall(jurisdiction_code)
    form = TakeTicketForm(request.POST or None, jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.take_ticket(
                form.cleaned_data["service_type"], phone=form.cleaned_data["phone"]
            )
        except services.QueueError as error:
            messages.error(request, error.message)
        else:
            token = signing.dumps(ticket.pk, salt=TICKET_SALT)
            return redirect("queueing:ticket", jurisdiction_code=jurisdiction.code, token=token)
    service_types = ServiceType.objects.for_kiosk(jurisdiction).with_waiting(timezone.localdate())
    return render(
        request,
        "queueing/kiosk.html",
        {"jurisdiction": jurisdiction, "service_types": service_types, "form": form},
    )


@require_GET
def ticket(request, jurisdiction_code, token):
    try:
        pk = signing.loads(token, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    ticket = get_object_or_404(
        Ticket.objects.select_related("service_type", "window", "jurisdiction"),
        pk=pk,
        jurisdiction__code=jurisdiction_code,
    )
    return render(
        request,
        "queueing/ticket.html",
        {"ticket": ticket, "jurisdiction": ticket.jurisdiction, "ahead": ticket.waiting_ahead()},
    )


@require_GET
def display(request, jurisdiction_code):
    jurisdiction = _hall(jurisdiction_code)
    return render(
        request,
        "queueing/display.html",
        {
            "jurisdiction": jurisdiction,
            "board": hall_board(jurisdiction),
            "endpoint": reverse("queueing:display_json", args=[jurisdiction.code]),
            "poll_milliseconds": POLL_MILLISECONDS,
            "refresh_seconds": NOSCRIPT_REFRESH_SECONDS,
        },
    )


@never_cache
@require_GET
def display_json(request, jurisdiction_code):
    jurisdiction = _hall(jurisdiction_code)
    return JsonResponse(board_json(hall_board(jurisdiction)))
