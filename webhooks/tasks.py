"""Delivering the outbox: `webhooks.deliver` POSTs one row, and
`webhooks.requeue_pending` (beat, every minute) re-enqueues rows whose
message was lost.

Once per row. The row is claimed with SELECT … FOR UPDATE SKIP LOCKED, only
while `pending` and due, POSTed while the lock is held, and marked
`delivered` in that same transaction. A second run — twice queued, redelivered
after a lost worker, or the sweep — finds it locked, delivered, or not yet
due, and does nothing. A failure records the answer, counts the attempt and
moves `next_attempt_at` on exponentially; the Celery retry is scheduled for
that moment and the sweep is the safety net behind it.

The edge, as for notifications: a worker killed after the receiver answered
2xx but before COMMIT leaves the row pending, and it is sent again. Every
attempt carries the same `X-Portal-Delivery` id for receivers to drop
repeats."""

import time
import urllib.error
import urllib.request
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.outbound import NoRedirects

from . import addresses, signing
from .models import WebhookDelivery

Status = WebhookDelivery.Status
# Younger due rows are still in their first on_commit enqueue or their
# scheduled Celery retry; the sweep leaves them to it.
STALE = timedelta(minutes=2)


class DeliveryFailed(Exception):
    def __init__(self, message, status_code=None):
        super().__init__(message)
        self.status_code = status_code


@shared_task(
    name="webhooks.deliver",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # the row counts attempts (WEBHOOKS_MAX_ATTEMPTS)
    # One POST bounded by WEBHOOKS_TIMEOUT; the limits catch anything else.
    soft_time_limit=60,
    time_limit=90,
)
def deliver(self, delivery_id):
    delivery = attempt(delivery_id)
    if delivery is not None and delivery.status == Status.PENDING:
        countdown = (delivery.next_attempt_at - timezone.now()).total_seconds()
        raise self.retry(countdown=max(countdown, 0) + 1)


@shared_task(name="webhooks.requeue_pending", soft_time_limit=120, time_limit=180)
def requeue_pending():
    """Safe on two beats at once: each delivery it enqueues is idempotent."""
    for pk in due_deliveries(timezone.now())[:500]:
        deliver.delay(pk)


def due_deliveries(now):
    return (
        WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lt=now - STALE)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )


def attempt(delivery_id):
    """POST the row once if it is pending, due and nobody else holds it.
    Returns the row as saved, or None when this call did nothing."""
    with transaction.atomic():
        now = timezone.now()
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscriber")
            .filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        try:
            if not delivery.subscriber.active:
                raise DeliveryFailed(_("订阅已停用"))
            delivery.last_response_code = post(delivery)
        except DeliveryFailed as error:
            delivery.last_response_code = error.status_code
            delivery.last_error = str(error)[:2000]
            if delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
                delivery.status = Status.FAILED
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        else:
            delivery.status = Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        delivery.save()
        return delivery


def backoff(attempts):
    """30 s, 60 s, 2 min, 4 min … capped at an hour (the defaults)."""
    seconds = settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, settings.WEBHOOKS_RETRY_MAX_SECONDS))


def post(delivery):
    """Returns the 2xx status code, or raises DeliveryFailed."""
    raw = signing.body(delivery.payload)
    timestamp = int(time.time())
    request = urllib.request.Request(
        delivery.subscriber.url,
        data=raw,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "yijianshi-portal-webhooks/1",
            signing.TIMESTAMP_HEADER: str(timestamp),
            signing.SIGNATURE_HEADER: signing.signature(delivery.subscriber.secret, timestamp, raw),
            "X-Portal-Delivery": str(delivery.pk),
            "X-Portal-Event": delivery.event,
        },
    )
    try:
        opener = addresses.opener(NoRedirects, allow_internal=delivery.subscriber.allow_internal)
        with opener.open(request, timeout=settings.WEBHOOKS_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(_answer(error), error.code) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, addresses.InternalAddress):
            raise DeliveryFailed(str(error.reason)) from error
        raise DeliveryFailed(_("无法连接：%(error)s") % {"error": error}) from error
    except (TimeoutError, OSError) as error:
        raise DeliveryFailed(_("无法连接：%(error)s") % {"error": error}) from error


def _answer(error):
    try:
        text = error.read(500).decode("utf-8", "replace")
    except Exception:  # the body is only a hint for the log
        text = ""
    return f"HTTP {error.code} {text}".strip()
