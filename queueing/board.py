"""What the hall display shows: the latest calls and the waiting count per
service type, for the page and its JSON twin (same data, same queries)."""

from django.utils import timezone
from django.utils.formats import time_format

from .models import ServiceType, Ticket

LATEST_CALLS = 8


def hall_board(jurisdiction, day=None):
    """Two queries, however many tickets the day has."""
    day = day or timezone.localdate()
    calls = list(
        Ticket.objects.filter(jurisdiction=jurisdiction, day=day, announced_at__isnull=False)
        .select_related("window", "service_type")
        .order_by("-announced_at", "-pk")[:LATEST_CALLS]
    )
    waiting = list(ServiceType.objects.for_kiosk(jurisdiction).with_waiting(day))
    return {
        "day": day,
        "calls": calls,
        "waiting": waiting,
        "now_key": announcement_key(calls[0]) if calls else "",
    }


def announcement_key(ticket):
    """Changes when a number is called or recalled: the display script speaks
    up (aria-live) only when this changes."""
    return f"{ticket.pk}@{ticket.announced_at.timestamp():.6f}"


def board_json(board):
    return {
        "day": board["day"].isoformat(),
        "now_key": board["now_key"],
        "calls": [
            {
                "number": ticket.number,
                "window": ticket.window.name,
                "service": ticket.service_type.name,
                "state": ticket.state,
                "announced_at": timezone.localtime(ticket.announced_at).isoformat(),
                "time": time_format(timezone.localtime(ticket.announced_at), "H:i"),
            }
            for ticket in board["calls"]
        ],
        "waiting": [
            {
                "code": service.code,
                "prefix": service.prefix,
                "name": service.name,
                "count": service.waiting,
            }
            for service in board["waiting"]
        ],
    }
