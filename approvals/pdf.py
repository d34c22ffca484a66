"""HTML → PDF with WeasyPrint and the bundled CJK font; shared by
certificates and notices.

WeasyPrint is imported inside the function: it costs ~0.5 s at import and
only the worker needs it."""

import gc
import hashlib

from django.conf import settings

# Certificates are archived documents: PDF/A-3 allows the signature that is
# appended afterwards, and level U maps every glyph to Unicode, so the
# Chinese text stays searchable and extractable (pdftotext, screen readers).
# Not level A: WeasyPrint's tagging does not promise full PDF/A-3a structure.
CERTIFICATE_PDF_VARIANT = "pdf/a-3u"


def font_url():
    return (settings.PORTAL_CERTIFICATE_FONT_DIR / "PortalSerifSC-Regular.otf").as_uri()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_pdf(html: str, *, pdf_variant=None) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=pdf_variant)
    # WeasyPrint keeps large font and layout structures in reference cycles;
    # collect after each render so a long-lived worker stays flat (FACTS.md:
    # ~700 MB over 100 renders otherwise).
    gc.collect()
    return pdf


def render_pdf(html: str) -> tuple[bytes, str]:
    pdf = write_pdf(html)
    return pdf, sha256(pdf)
