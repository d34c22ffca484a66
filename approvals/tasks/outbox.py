"""The outbox sweep: re-enqueue side effects whose enqueue was lost (broker
outage at commit time) or whose worker died without a redelivery (Redis
returns an unacknowledged message only after its visibility timeout)."""

from datetime import timedelta

from celery import shared_task
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..models import Certificate, Notice, Notification
from ..models.joint import JointMinutes
from ..models.notification import NotificationDelivery
from .certificates import render_certificate
from .joint import render_joint_minutes
from .notices import render_notice
from .notifications import deliver_notification

# Younger rows are still in their first on_commit enqueue.
STALE = timedelta(minutes=2)
# A channel that failed this recently has a Celery retry (with backoff, at
# most retry_backoff_max = 10 minutes away) already scheduled: leave it.
RETRYING = timedelta(minutes=15)


@shared_task(name="approvals.redeliver_outbox", soft_time_limit=120, time_limit=180)
def redeliver_outbox():
    """Re-enqueue what should have been done by now. Safe to run on two
    beats at once: each task it enqueues is idempotent."""
    now = timezone.now()
    stale = now - STALE
    for pk in stuck_notifications(now)[:500]:
        deliver_notification.delay(pk)
    certificates = Certificate.objects.filter(rendered_at__isnull=True, created_at__lt=stale)
    for pk in certificates.values_list("pk", flat=True)[:100]:
        render_certificate.delay(pk)
    notices = Notice.objects.filter(rendered_at__isnull=True, created_at__lt=stale)
    for pk in notices.values_list("pk", flat=True)[:100]:
        render_notice.delay(pk)
    minutes = JointMinutes.objects.filter(rendered_at__isnull=True, created_at__lt=stale)
    for pk in minutes.values_list("pk", flat=True)[:100]:
        render_joint_minutes.delay(pk)


def stuck_notifications(now):
    """Notifications with a channel still pending (or not yet planned: the
    deadline sweep bulk-creates rows without channels), oldest first. Uses
    the partial index on undelivered rows, so its cost follows the backlog,
    not the table."""
    retrying = NotificationDelivery.objects.filter(
        notification=OuterRef("pk"),
        status=NotificationDelivery.Status.PENDING,
        last_attempt_at__gte=now - RETRYING,
    )
    return (
        Notification.objects.filter(delivered_at__isnull=True, created_at__lt=now - STALE)
        .exclude(Exists(retrying))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
