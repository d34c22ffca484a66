"""Public certificate verification (/verify/<number>/, where the QR code
leads): whether the certificate is valid, revoked or superseded, the
essential facts it prints and whether its signature checks.

No personal data, whatever a certificate type prints: no person's name, no
ID or phone number, only the project, the enterprise and the authority."""

import logging
import re

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import signing
from ..models import Certificate
from ..pdf import sha256

logger = logging.getLogger(__name__)

# Numbers are letters, digits and hyphens (CertificateType.number_format
# allows no more); anything else is not a certificate number.
NUMBER = re.compile(r"[A-Za-z0-9-]{1,40}")
SIGNATURE_CACHE_SECONDS = 600


def verify(request, number):
    if not NUMBER.fullmatch(number):
        raise Http404
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "certificate_type",
            "application__project__enterprise",
            "matter__department",
            "supersedes",
            "superseded_by",
        ),
        number=number,
        rendered_at__isnull=False,
    )
    successor = certificate.successor
    return render(
        request,
        "approvals/verify.html",
        {
            "certificate": certificate,
            "project_name": certificate.printed_value("project.name")
            or certificate.application.project.name,
            "project_address": certificate.printed_value("project.address")
            or certificate.application.project.address,
            "holder": certificate.printed_value("enterprise.name")
            or certificate.application.project.enterprise.name,
            "successor": successor if successor and successor.is_rendered else None,
            "successor_number": successor.number if successor else "",
            "signature": signature_check(certificate),
        },
    )


def signature_check(certificate):
    """Check the stored file against its recorded SHA-256 and its PAdES
    signature against the configured certificate. ~40 ms, so the result is
    cached for a while per file; a cache outage only costs the time."""
    key = f"certificate-signature:{certificate.pk}:{certificate.sha256}"
    try:
        cached = cache.get(key)
    except Exception:
        cached = None
    if cached is not None:
        return signing.SignatureCheck(*cached)
    try:
        with certificate.pdf.open("rb") as handle:
            pdf = handle.read()
    except (FileNotFoundError, ValueError):
        logger.error("Certificate %s has no readable PDF", certificate.number)
        return signing.SignatureCheck("unavailable")
    if sha256(pdf) != certificate.sha256:
        result = signing.SignatureCheck("invalid")
    else:
        result = signing.check(pdf)
    try:
        cache.set(key, (result.status, result.signer), SIGNATURE_CACHE_SECONDS)
    except Exception:
        logger.warning("Cache unavailable; signature check not cached")
    return result
