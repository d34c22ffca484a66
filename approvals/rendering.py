"""Certificate PDFs: the certificate's HTML, with the bundled CJK font and a
QR code pointing at the public verify page (rendered by `approvals.pdf`)."""

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
