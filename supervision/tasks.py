"""Celery tasks for reports. Names are explicit so moving code does not
orphan queued messages; both are safe to run twice (see `reports`)."""

import datetime
import logging

from celery import shared_task

from approvals.tasks.retry import RETRY

logger = logging.getLogger(__name__)


@shared_task(name="supervision.generate_report", **RETRY)
def generate_report(report_id):
    from . import reports

    reports.generate(report_id)
    return reports.email(report_id)


@shared_task(name="supervision.generate_periodic_reports")
def generate_periodic_reports(today=None):
    """Beat: bring the duration summary up to today (once a day; the
    reports read it), create the daily / weekly / 10-day reports now due
    (catching up on missed days) and queue every report not yet generated,
    including on-demand ones whose enqueue was lost to a broker outage."""
    from django.utils import timezone

    from . import reports, summaries

    today = datetime.date.fromisoformat(today) if today else timezone.localdate()
    summaries.refresh(today)
    pending = reports.due_reports(today)
    for report_id in pending:
        generate_report.delay(report_id)
    return len(pending)
