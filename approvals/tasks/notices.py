"""Render a notice's PDF (受理通知书, 补正告知书, …); skip work already done."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import Notice
from .retry import RETRY


@shared_task(name="approvals.render_notice", **RETRY)
def render_notice(notice_id):
    from ..pdf import font_url, render_pdf

    notice = (
        Notice.objects.select_related(
            "application__project__enterprise", "application__stage", "application__accepted_by"
        )
        .filter(pk=notice_id, rendered_at__isnull=True)
        .first()
    )
    if notice is None:
        return
    html = render_to_string(
        "notices/notice.html",
        {
            "notice": notice,
            "application": notice.application,
            "project": notice.application.project,
            "body": notice.body,
            "font_url": font_url(),
        },
    )
    pdf, digest = render_pdf(html)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice_id)
        if locked.rendered_at is None:
            locked.pdf.save(f"{notice.kind}-{notice.pk}.pdf", ContentFile(pdf), save=False)
            locked.sha256 = digest
            locked.rendered_at = timezone.now()
            locked.save(update_fields=["pdf", "sha256", "rendered_at"])
