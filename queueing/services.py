"""Every change to a ticket goes through here: lock the row, check who acts,
run the django-fsm transition, save, and append a `TicketEvent`, all in one
transaction. Views call these; nothing else changes a ticket's state."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from portal.models import Role

from .models import Ticket, TicketCounter, TicketEvent

EVENT_ACTIONS = {
    "call": TicketEvent.Action.CALL,
    "recall": TicketEvent.Action.RECALL,
    "start_serving": TicketEvent.Action.START_SERVING,
    "finish": TicketEvent.Action.FINISH,
    "mark_no_show": TicketEvent.Action.NO_SHOW,
}


class QueueError(Exception):
    """Something a person must be told (translated), not a bug."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def take_ticket(service_type, phone=""):
    """Hand out the next number of `service_type` for today.

    The day's counter row is locked (created on the first number of the day;
    a concurrent creator waits on the unique index, then locks the winner's
    row), so numbers are unique and gap-free: if anything after the
    increment fails, the increment rolls back with it."""
    if not service_type.active:
        raise QueueError(_("“%(name)s”暂停取号。") % {"name": service_type.name})
    day = timezone.localdate()
    with transaction.atomic():
        counter, _created = TicketCounter.objects.select_for_update().get_or_create(
            service_type=service_type, day=day
        )
        counter.last_sequence += 1
        counter.save(update_fields=["last_sequence"])
        # Read the clock inside the lock so taken_at follows the sequence.
        now = timezone.now()
        ticket = Ticket.objects.create(
            jurisdiction_id=service_type.jurisdiction_id,
            service_type=service_type,
            day=day,
            sequence=counter.last_sequence,
            number=Ticket.format_number(service_type.prefix, counter.last_sequence),
            phone=phone,
            taken_at=now,
        )
        TicketEvent.objects.create(
            ticket=ticket,
            action=TicketEvent.Action.TAKE,
            to_state=ticket.state,
            created_at=now,
        )
    return ticket


def call_next(clerk, window):
    """Finish whatever `clerk` still holds, then call the oldest waiting
    ticket of today among the service types `window` serves. Returns the
    called ticket, or None when nobody is waiting.

    SKIP LOCKED lets two clerks pressing 叫号 at the same moment each take a
    different ticket instead of queueing behind (or double-calling) the
    same oldest row."""
    _check_clerk(clerk, window.jurisdiction_id)
    if not window.active:
        raise QueueError(_("%(window)s已停用。") % {"window": window.name})
    with transaction.atomic():
        now = timezone.now()
        for held in Ticket.objects.held_by(clerk).select_for_update():
            _run(held, "finish", clerk, now)
        service_type_ids = list(
            window.service_types.filter(active=True).values_list("pk", flat=True)
        )
        ticket = (
            Ticket.objects.waiting_on(window.jurisdiction_id, timezone.localdate(now))
            .filter(service_type_id__in=service_type_ids)
            .order_by("taken_at", "pk")
            .select_for_update(skip_locked=True)
            .first()
        )
        if ticket is not None:
            _run(ticket, "call", clerk, now, window=window, clerk=clerk)
    return ticket


def recall(ticket, clerk):
    """Announce the same number again (the display moves it to the top)."""
    return _act(ticket, clerk, "recall")


def start_serving(ticket, clerk):
    return _act(ticket, clerk, "start_serving")


def finish(ticket, clerk):
    return _act(ticket, clerk, "finish")


def mark_no_show(ticket, clerk):
    """过号: the visitor did not come to the window after being called."""
    return _act(ticket, clerk, "mark_no_show")


def _act(ticket, clerk, name):
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        _check_clerk(clerk, locked.jurisdiction_id)
        if locked.clerk_id != clerk.pk:
            raise QueueError(_("%(number)s 不是您叫的号。") % {"number": locked.number})
        _run(locked, name, clerk, timezone.now())
    return locked


def _check_clerk(user, jurisdiction_id):
    """Only a window clerk posted to the hall's own jurisdiction calls there."""
    membership = getattr(user, "staff_membership", None)
    if (
        user.role != Role.CLERK
        or membership is None
        or membership.jurisdiction_id != jurisdiction_id
    ):
        raise PermissionDenied


def _run(ticket, name, actor, at, **kwargs):
    """Transition a locked ticket, save it and log the event."""
    method = getattr(ticket, name)
    if not can_proceed(method):
        raise QueueError(
            _("操作未执行：%(number)s 当前状态为“%(state)s”。")
            % {"number": ticket.number, "state": ticket.get_state_display()}
        )
    from_state = ticket.state
    method(at=at, **kwargs)
    ticket.save()
    TicketEvent.objects.create(
        ticket=ticket,
        action=EVENT_ACTIONS[name],
        from_state=from_state,
        to_state=ticket.state,
        actor=actor,
        window=ticket.window,
        created_at=at,
    )
    return ticket
