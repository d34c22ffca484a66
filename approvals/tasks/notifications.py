"""Deliver a notification's outside channels: email (Django's email backend)
and SMS (portal.sms). The in-app inbox is the Notification row itself and
needs no delivery.

Once per channel. Each channel row is claimed with SELECT … FOR UPDATE SKIP
LOCKED, sent while the lock is held, and marked `sent` in that same
transaction. So the task may run twice, concurrently, or again after a
redelivery, and a channel that committed `sent` is never sent again; a run
that finds the row locked leaves it to the worker holding it. If a worker
dies mid-send its transaction rolls back, the lock goes with its connection,
and the row is still `pending` for the redelivered message
(acks_late + reject_on_worker_lost) or the outbox sweep.

The edge, honestly: sending and committing are two systems. A worker killed
(or a database lost) after the SMTP server or SMS gateway accepted the
message but before COMMIT leaves the row pending, and the retry sends it
again — at-least-once in that window, which is as long as one send. To let
the far side drop the repeat, every email carries a Message-ID and every SMS
a reference derived from the notification and channel, identical on every
attempt."""

from urllib.parse import urlparse

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.sms import send_sms

from ..models import Notification
from ..models.notification import NotificationDelivery
from .retry import RETRY

Status = NotificationDelivery.Status
Channel = NotificationDelivery.Channel
# Celery's own retries plus the first run; then the channel is `failed`
# until an administrator retries it.
MAX_ATTEMPTS = RETRY["max_retries"] + 1


class Skip(Exception):
    """Nothing to send on this channel (the address was removed since)."""


@shared_task(
    name="approvals.deliver_notification",
    # One SMTP exchange and one gateway call, each bounded by its own timeout
    # (EMAIL_TIMEOUT, PORTAL_SMS_TIMEOUT); the limits catch anything else.
    soft_time_limit=60,
    time_limit=90,
    **RETRY,
)
def deliver_notification(notification_id):
    from ..services.notifications import plan_deliveries

    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.delivered_at is not None:
        return
    if notification.deliveries.count() < len(Channel):
        plan_deliveries([notification])
    pending = notification.deliveries.filter(status=Status.PENDING).values_list("pk", flat=True)
    errors = []
    for delivery_id in list(pending):
        try:
            deliver_channel(delivery_id)
        except Exception as error:  # the other channel still goes out
            record_failure(delivery_id, error)
            errors.append(error)
    settle(notification_id)
    if errors and notification.deliveries.filter(status=Status.PENDING).exists():
        raise errors[0]  # autoretry with backoff; sent channels stay sent


def deliver_channel(delivery_id):
    """Send one channel if it is still pending and nobody else holds it.
    Returns True when this call sent it."""
    with transaction.atomic():
        delivery = (
            NotificationDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id, status=Status.PENDING)
            .first()
        )
        if delivery is None:
            return False
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        try:
            delivery.address = SENDERS[delivery.channel](delivery)
        except Skip as reason:
            delivery.status = Status.SKIPPED
            delivery.last_error = str(reason)
        else:
            delivery.status = Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            if delivery.channel == Channel.EMAIL:
                Notification.objects.filter(pk=delivery.notification_id).update(
                    emailed_at=delivery.sent_at
                )
        delivery.save()
        return delivery.status == Status.SENT


def record_failure(delivery_id, error):
    """Outside the rolled-back claim: count the attempt and keep the error.
    Waits for a worker that holds the row and does nothing if it sent."""
    NotificationDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
        attempts=F("attempts") + 1,
        last_attempt_at=timezone.now(),
        last_error=(str(error) or type(error).__name__)[:2000],
        status=Case(
            When(attempts__gte=MAX_ATTEMPTS - 1, then=Value(Status.FAILED)),
            default=Value(Status.PENDING),
        ),
    )


def settle(notification_id):
    """Mark the notification delivered once no channel is pending."""
    pending = NotificationDelivery.objects.filter(
        notification=OuterRef("pk"), status=Status.PENDING
    )
    Notification.objects.filter(pk=notification_id, delivered_at__isnull=True).exclude(
        Exists(pending)
    ).update(delivered_at=timezone.now())


def send_email(delivery):
    notification = delivery.notification
    address = notification.recipient.email
    if not address or not notification.recipient.is_active:
        raise Skip(_("未填写邮箱或账户已停用"))
    EmailMessage(
        subject=notification.title,
        body=_text(notification),
        to=[address],
        headers={"Message-ID": f"<{reference(delivery)}@{_mail_domain()}>"},
    ).send()
    return address


def send_sms_message(delivery):
    notification = delivery.notification
    phone = notification.recipient.phone
    if not phone or not notification.recipient.is_active:
        raise Skip(_("未填写手机号码或账户已停用"))
    send_sms(phone, notification.title, reference=reference(delivery))
    return phone


def reference(delivery):
    """The same on every attempt: what the far side may deduplicate on."""
    return f"notification-{delivery.notification_id}-{delivery.channel}"


def _text(notification):
    text = notification.body or notification.title
    if notification.application_id:
        from ..services.notifications import application_link

        link = application_link(notification.application_id)
        if link not in text:
            text = f"{text}\n\n{link}"
    return text


def _mail_domain():
    return urlparse(settings.PORTAL_PUBLIC_BASE_URL).hostname or "portal.invalid"


SENDERS = {Channel.EMAIL: send_email, Channel.SMS: send_sms_message}
