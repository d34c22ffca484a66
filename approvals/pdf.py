"""HTML → PDF with WeasyPrint and the bundled CJK font; shared by
certificates and notices.

WeasyPrint is imported inside the function: it costs ~0.5 s at import and
only the worker needs it."""

import gc
import hashlib

from django.conf import settings


def font_url():
    return (settings.PORTAL_CERTIFICATE_FONT_DIR / "PortalSerifSC-Regular.otf").as_uri()


def render_pdf(html: str) -> tuple[bytes, str]:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    # WeasyPrint keeps large font and layout caches; collect after each render
    # so a long-lived worker stays flat (FACTS.md: ~700 MB over 100 renders).
    gc.collect()
    return pdf, hashlib.sha256(pdf).hexdigest()
