"""Celery tasks: deliver notifications, render certificates, and sweep the
outbox for work whose enqueue was lost (broker outage). Every task can run
twice without doing its work twice."""

import logging
from datetime import timedelta

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Certificate, Notification

logger = logging.getLogger(__name__)
RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(**RETRY)
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


@shared_task(**RETRY)
def render_certificate(certificate_id):
    from .rendering import certificate_html, render_pdf
    from .services.certificates import complete_issue_after_render

    certificate = (
        Certificate.objects.select_related(
            "application__project__enterprise",
            "certificate_type",
            "matter__department",
        )
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        return
    if not certificate.is_rendered:
        pdf, digest = render_pdf(certificate_html(certificate))
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=certificate_id)
            if not locked.is_rendered:
                locked.pdf.save(f"{locked.number}.pdf", ContentFile(pdf), save=False)
                locked.sha256 = digest
                locked.rendered_at = timezone.now()
                locked.save(update_fields=["pdf", "sha256", "rendered_at"])
    complete_issue_after_render(certificate.application_id)


@shared_task
def redeliver_outbox():
    """Re-enqueue what should have been done by now. Safe to run on two
    beats at once: each task it enqueues is idempotent."""
    stale = timezone.now() - timedelta(minutes=2)
    notifications = Notification.objects.filter(emailed_at__isnull=True, created_at__lt=stale)
    for pk in notifications.values_list("pk", flat=True)[:500]:
        deliver_notification.delay(pk)
    certificates = Certificate.objects.filter(rendered_at__isnull=True, created_at__lt=stale)
    for pk in certificates.values_list("pk", flat=True)[:100]:
        render_certificate.delay(pk)
