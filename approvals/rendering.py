"""A certificate's HTML: the snapshot printed at issue time, laid out by
its type's template (`CertificateType.render_html`), with the QR code that
leads to the public verify page. `approvals.pdf` turns it into a PDF."""

import segno
from django.conf import settings
from django.urls import reverse


def verify_url(certificate):
    return settings.PORTAL_PUBLIC_BASE_URL.rstrip("/") + reverse(
        "verify", args=[certificate.number]
    )


def qr_data_uri(url):
    # Level M survives a fold or a smudge on a printout; SVG stays sharp.
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def certificate_context(certificate):
    from .pdf import font_url

    url = verify_url(certificate)
    return certificate.certificate_type.template_context(
        certificate.printed,
        number=certificate.number,
        issued_on=certificate.issued_on,
        verify_url=url,
        qr=qr_data_uri(url),
        font_url=font_url(),
        version=certificate.version,
        supersedes=certificate.supersedes.number if certificate.supersedes_id else "",
        amendment_reason=certificate.amendment_reason,
    )


def certificate_html(certificate):
    return certificate.certificate_type.render_html(certificate_context(certificate))
