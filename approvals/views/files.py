"""Private files, served only to those who may see the application."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from ..models import Certificate, Material, Notice
from .helpers import visible_application

# Only types sniffed at upload as these may be shown inline (preview in
# the review pages); anything else is always a download.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def _serve(field_file, download_name, content_type, inline=False):
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    inline = inline and content_type in INLINE_TYPES
    response = FileResponse(
        handle, as_attachment=not inline, filename=download_name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        # Uploaded content never runs as part of this site.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


@login_required
@xframe_options_sameorigin
def material_download(request, pk, material_pk):
    """?inline=1 previews a PDF or image inside the review page."""
    application = visible_application(request.user, pk)
    material = get_object_or_404(Material, pk=material_pk, application=application)
    return _serve(
        material.file,
        material.original_name,
        material.content_type,
        inline=request.GET.get("inline") == "1",
    )


@login_required
def certificate_download(request, pk, certificate_pk):
    application = visible_application(request.user, pk)
    certificate = get_object_or_404(
        Certificate, pk=certificate_pk, application=application, rendered_at__isnull=False
    )
    return _serve(certificate.pdf, f"{certificate.number}.pdf", "application/pdf")


@login_required
def notice_download(request, pk, notice_pk):
    application = visible_application(request.user, pk)
    notice = get_object_or_404(
        Notice, pk=notice_pk, application=application, rendered_at__isnull=False
    )
    return _serve(notice.pdf, f"{notice.get_kind_display()}-{notice.number}.pdf", "application/pdf")
