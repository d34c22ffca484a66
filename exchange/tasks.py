"""The periodic export (beat: `exchange-export-spgl` in settings)."""

from celery import shared_task

from .export import export_changes


@shared_task(name="exchange.export_spgl", soft_time_limit=600, time_limit=660)
def export_spgl():
    return [f.path for f in export_changes()]
