"""The outbox sweep: re-enqueue side effects whose enqueue was lost (broker
outage at commit time)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from ..models import Certificate, Notice, Notification
from .certificates import render_certificate
from .notices import render_notice
from .notifications import deliver_notification


@shared_task(name="approvals.redeliver_outbox")
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
    notices = Notice.objects.filter(rendered_at__isnull=True, created_at__lt=stale)
    for pk in notices.values_list("pk", flat=True)[:100]:
        render_notice.delay(pk)
