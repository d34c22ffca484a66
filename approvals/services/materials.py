"""Accepting an uploaded file: size limit, type sniffed from the content
(libmagic) and matched against the extension, stored under a name we choose."""

import hashlib
from pathlib import Path

import magic
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Application, ApplicationState, Material
from .errors import ServiceError
from .transitions import lock

ACCEPTED_TYPES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
}


def sniff(uploaded_file):
    uploaded_file.seek(0)
    head = uploaded_file.read(4096)
    uploaded_file.seek(0)
    return magic.from_buffer(head, mime=True)


def checked_upload(uploaded_file):
    """Return (content_type, extension) or raise ServiceError."""
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise ServiceError(
            _("文件过大：%(size).1f MB，上限 %(limit)d MB。")
            % {"size": uploaded_file.size / 2**20, "limit": limit // 2**20}
        )
    extension = Path(uploaded_file.name).suffix.lower()
    content_type = sniff(uploaded_file)
    if content_type not in ACCEPTED_TYPES:
        raise ServiceError(_("不支持的文件类型，请上传 PDF、PNG 或 JPEG 文件。"))
    if extension not in ACCEPTED_TYPES[content_type]:
        raise ServiceError(
            _("文件内容与扩展名不符（%(extension)s / %(content_type)s），请检查后重新上传。")
            % {"extension": extension or _("无扩展名"), "content_type": content_type}
        )
    return content_type, extension


def attach_material(application_id, user, label, uploaded_file):
    content_type, extension = checked_upload(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    with transaction.atomic():
        application = lock(Application, application_id)
        if not user.has_perm("approvals.edit_application", application):
            raise PermissionDenied
        if application.state != ApplicationState.DRAFT:
            raise ServiceError(_("申请已提交，不能再修改材料。"))
        material = Material(
            application=application,
            label=label,
            original_name=Path(uploaded_file.name).name[:255],
            content_type=content_type,
            extension=extension,
            size=uploaded_file.size,
            sha256=digest.hexdigest(),
            uploaded_by=user,
        )
        material.file.save("upload", uploaded_file, save=False)
        material.save()
        return material
