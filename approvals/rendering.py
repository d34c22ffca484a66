"""Certificate PDFs: HTML template → WeasyPrint, with the bundled CJK font
and a QR code pointing at the public verify page.

WeasyPrint is imported inside the function: it costs ~0.5 s at import and
only the worker needs it."""

import gc
import hashlib

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse


def verify_url(certificate):
    return settings.PORTAL_PUBLIC_BASE_URL.rstrip("/") + reverse(
        "verify", args=[certificate.number]
    )


def certificate_html(certificate):
    application = certificate.application
    url = verify_url(certificate)
    return render_to_string(
        "certificates/certificate.html",
        {
            "certificate": certificate,
            "application": application,
            "project": application.project,
            "enterprise": application.project.enterprise,
            "issuer": certificate.matter.department,
            "verify_url": url,
            "qr_svg_data_uri": segno.make(url, error="m").svg_data_uri(scale=4, border=0),
            "font_url": (
                settings.PORTAL_CERTIFICATE_FONT_DIR / "PortalSerifSC-Regular.otf"
            ).as_uri(),
        },
    )


def render_pdf(html: str) -> tuple[bytes, str]:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    # WeasyPrint keeps large font and layout caches; collect after each render
    # so a long-lived worker stays flat (FACTS.md: ~700 MB over 100 renders).
    gc.collect()
    return pdf, hashlib.sha256(pdf).hexdigest()
