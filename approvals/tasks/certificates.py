"""Render a certificate's PDF in the worker; skip work already done."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..models import Certificate
from .retry import RETRY


@shared_task(name="approvals.render_certificate", **RETRY)
def render_certificate(certificate_id):
    from ..pdf import render_pdf
    from ..rendering import certificate_html
    from ..services.certificates import complete_issue_after_render

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
