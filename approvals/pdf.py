"""HTML → PDF with WeasyPrint and the bundled CJK font; shared by
certificates and notices.

WeasyPrint is imported inside the functions: it costs ~0.5 s at import and
only the worker needs it."""

import gc
import hashlib
import threading

from django.conf import settings

# Certificates are archived documents: PDF/A-3 allows the signature that is
# appended afterwards, and level U maps every glyph to Unicode, so the
# Chinese text stays searchable and extractable (pdftotext, screen readers).
# Not level A: WeasyPrint's tagging does not promise full PDF/A-3a structure.
CERTIFICATE_PDF_VARIANT = "pdf/a-3u"

# One FontConfiguration per worker thread, reused across renders. A fresh one
# per render re-registers the 4.7 MB bundled font with fontconfig each time:
# measured over 150 renders, RSS climbed 68 → 110 MB and a render took
# ~260 ms; reused, RSS stayed at 74 MB and a render took ~150 ms. It is a
# cache of the same fonts in every process, so no process depends on it.
_fonts = threading.local()


def font_url():
    return (settings.PORTAL_CERTIFICATE_FONT_DIR / "PortalSerifSC-Regular.otf").as_uri()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_pdf(html: str, *, pdf_variant=None) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant=pdf_variant, font_config=shared_font_config()
    )
    # WeasyPrint leaves its layout in reference cycles; collect after each
    # render so a long-lived worker stays flat (FACTS.md). The young
    # generations hold it: with the shared fonts, 150 renders left RSS at
    # 74 MB with a generation-1 collection (85 MB with none), and that takes
    # ~3 ms where a full collection walks all of Django (~180 ms).
    gc.collect(1)
    return pdf


def render_pdf(html: str) -> tuple[bytes, str]:
    pdf = write_pdf(html)
    return pdf, sha256(pdf)


def shared_font_config():
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_fonts, "config", None) is None:
        _fonts.config = FontConfiguration()
    return _fonts.config
