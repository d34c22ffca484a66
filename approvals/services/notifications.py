"""Write notification rows inside the caller's transaction; deliver later.

`notify()` is how a state change tells people: one Notification per
recipient (their in-app inbox), one NotificationDelivery per outside channel
planned from their preferences, and a delivery task enqueued only after
commit — nothing is sent while a transition holds its locks. If the broker
is down at commit, the rows wait for the outbox sweep."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import NotificationPreference

from ..models import Notification
from ..models.notification import NotificationDelivery
from ..notification_templates import render, template_for
from .side_effects import enqueue_on_commit

Channel = NotificationDelivery.Channel
Status = NotificationDelivery.Status


def notify(recipients, *, event, title=None, body=None, application=None, context=None):
    """Title and body default to the event's template (see
    approvals/notification_templates.py), filled from the application and
    `context`; a caller's own title or body wins."""
    if title is None or body is None:
        template = template_for(event)
        values = {**application_context(application), **(context or {})}
        title = render(template.title, values) if title is None else title
        body = render(template.body, values) if body is None else body
    if not title:
        raise ValueError(f"notify(): no title given and no template for event {event!r}")
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            event=event,
            title=str(title)[:200],
            body=body,
            application=application,
        )
        for user in {user.pk: user for user in recipients}.values()
    )
    plan_deliveries(rows)
    from ..tasks import deliver_notification

    for row in rows:
        enqueue_on_commit(deliver_notification, row.pk)
    return rows


def application_context(application):
    if application is None:
        return {}
    return {
        "number": application.number or "",
        "project": application.project.name,
        "stage": application.stage.name,
        "due": application.due_on or "",
        "link": application_link(application.pk),
    }


def application_link(application_id):
    base = settings.PORTAL_PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("application_detail", args=[application_id])


def plan_deliveries(notifications):
    """Create the email and SMS rows of these notifications from each
    recipient's preferences, as `pending` or `skipped` (with the reason).
    Safe to call again: existing channel rows are left as they are. notify()
    calls it in the caller's transaction; the delivery task calls it for rows
    bulk-created elsewhere (the deadline sweep)."""
    if not notifications:
        return
    people = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in={n.recipient_id for n in notifications})
        .only("email", "phone", "is_active")
    }
    wanted = {}
    for event in {n.event for n in notifications}:
        template = template_for(event)
        wanted[event] = NotificationPreference.objects.channels(
            people, event, email=True, sms=template.sms
        )
    rows = []
    for notification in notifications:
        user = people.get(notification.recipient_id)
        choice = wanted[notification.event].get(notification.recipient_id, {})
        for channel, address in ((Channel.EMAIL, "email"), (Channel.SMS, "phone")):
            reason = _skip_reason(user, choice.get(channel), getattr(user, address, ""))
            rows.append(
                NotificationDelivery(
                    notification=notification,
                    channel=channel,
                    status=Status.SKIPPED if reason else Status.PENDING,
                    last_error=reason,
                )
            )
    NotificationDelivery.objects.bulk_create(rows, ignore_conflicts=True)


def _skip_reason(user, wanted, address):
    if user is None or not user.is_active:
        return _("账户已停用")
    if not wanted:
        return _("用户未开通此渠道")
    if not address:
        return _("未填写联系方式")
    return ""


def retry_deliveries(deliveries):
    """The admin's "retry": failed channels (and pending ones that look
    stuck) go back to pending and their notifications are queued again after
    commit. Sent and skipped channels are never re-sent. A failed channel
    gets one more attempt per retry."""
    with transaction.atomic():
        chosen = list(
            deliveries.filter(status__in=[Status.FAILED, Status.PENDING]).values_list(
                "pk", "notification_id"
            )
        )
        NotificationDelivery.objects.filter(pk__in=[pk for pk, __ in chosen]).update(
            status=Status.PENDING
        )
        notification_ids = sorted({notification_id for __, notification_id in chosen})
        Notification.objects.filter(pk__in=notification_ids).update(delivered_at=None)
        from ..tasks import deliver_notification

        for notification_id in notification_ids:
            enqueue_on_commit(deliver_notification, notification_id)
    return len(chosen)
