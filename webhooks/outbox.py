"""Writing deliveries: one row per interested subscriber, in the transaction
of the state change, enqueued only after commit (approvals' side-effect
rule). If the broker is down at commit, the re-queue sweep sends them."""

from django.db import transaction
from django.utils import timezone

from approvals.models import Application, Certificate
from approvals.services.side_effects import enqueue_on_commit

from .events import OBJECT_TYPES, event_for
from .models import Subscriber, WebhookDelivery

Status = WebhookDelivery.Status


def on_transition_logged(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(instance)


def record(log):
    """Outbox rows for the subscribers of this log row's event. One query
    when nobody subscribes, the usual case on most transitions."""
    event = event_for(log)
    if event is None:
        return []
    subscribers = [s for s in Subscriber.objects.filter(active=True) if s.wants(event)]
    if not subscribers:
        return []
    body = payload(log, event)
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscriber=subscriber, event=event, payload=body)
        for subscriber in subscribers
    )
    from .tasks import deliver

    for row in rows:
        enqueue_on_commit(deliver, row.pk)
    return rows


def payload(log, event):
    """What happened, to what, for which application and project — never who
    did it or why (names, comments): subscribers need no personal data."""
    number, project_code = (
        Application.objects.filter(pk=log.application_id)
        .values_list("number", "project__code")
        .get()
    )
    object_type = OBJECT_TYPES[log.subject_type]
    return {
        "id": log.pk,
        "event": event,
        "object_type": object_type,
        "object_id": log.object_id,
        "object_number": _object_number(object_type, log.object_id, number),
        "from_state": log.from_state,
        "to_state": log.to_state,
        "at": log.created_at.isoformat(),
        "application_id": log.application_id,
        "application_number": number,
        "project_code": project_code,
    }


def _object_number(object_type, object_id, application_number):
    if object_type == "application":
        return application_number
    if object_type == "certificate":
        return Certificate.objects.filter(pk=object_id).values_list("number", flat=True).first()
    return None


def retry(deliveries):
    """The admin's "retry": failed rows (and pending ones that look stuck)
    are due now and queued after commit; delivered rows are never re-sent.
    A row that had used up its attempts gets one more per retry.

    Rows are locked first, skipping those a worker holds: a row being POSTed
    right now is that worker's to finish, and updating it by id after its
    commit would turn a delivered row back to pending (sent twice)."""
    with transaction.atomic():
        ids = list(
            deliveries.filter(status__in=[Status.FAILED, Status.PENDING])
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(
            status=Status.PENDING, next_attempt_at=timezone.now()
        )
        from .tasks import deliver

        for pk in ids:
            enqueue_on_commit(deliver, pk)
    return len(ids)
