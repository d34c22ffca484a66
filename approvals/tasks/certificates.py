"""Render a certificate's PDF in the worker: HTML → PDF/A (WeasyPrint) →
PAdES signature (pyHanko) → private storage, with the SHA-256 of the signed
file. Does nothing for a certificate already rendered, so the task may run
twice (outbox sweep, redelivery after a worker crash)."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Certificate
from .retry import RETRY

logger = logging.getLogger(__name__)


@shared_task(name="approvals.render_certificate", **RETRY)
def render_certificate(certificate_id):
    from ..pdf import sha256
    from ..services.certificates import backfill_printed, complete_issue_after_render

    certificate = (
        Certificate.objects.select_related("certificate_type", "supersedes", "matter__department")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        return
    if not certificate.is_rendered:
        if not certificate.printed:  # numbered before snapshots existed
            certificate.printed = backfill_printed(certificate)
        pdf, signed_by = certificate_pdf(certificate)
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=certificate_id)
            if not locked.is_rendered:
                locked.pdf.save(f"{locked.number}.pdf", ContentFile(pdf), save=False)
                locked.sha256 = sha256(pdf)
                locked.signed_by = signed_by
                locked.rendered_at = timezone.now()
                locked.printed = certificate.printed
                locked.save(update_fields=["pdf", "sha256", "signed_by", "rendered_at", "printed"])
    complete_issue_after_render(certificate.application_id)


def certificate_pdf(certificate):
    """(PDF bytes, signer name or "" when no signing key is configured)."""
    from .. import signing
    from ..pdf import CERTIFICATE_PDF_VARIANT, write_pdf
    from ..rendering import certificate_html

    pdf = write_pdf(certificate_html(certificate), pdf_variant=CERTIFICATE_PDF_VARIANT)
    if not signing.is_configured():
        logger.warning("No signing key configured; certificate %s is unsigned", certificate.number)
        return pdf, ""
    return signing.sign(pdf, reason=_("电子证照签章"), location=certificate.issuer)
