"""Deliver a notification row by email (the in-app inbox needs no delivery)."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import Notification
from .retry import RETRY


@shared_task(name="approvals.deliver_notification", **RETRY)
def deliver_notification(notification_id):
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        notification.attempts += 1
        if notification.recipient.email:
            send_mail(
                notification.title,
                notification.body or notification.title,
                None,
                [notification.recipient.email],
            )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at", "attempts"])
