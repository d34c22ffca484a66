"""Accepting an uploaded file for one material requirement: the
requirement's size limit and formats, the type sniffed from the content
(libmagic) and matched against the extension, a virus scan, stored under a
name we choose."""

import hashlib
import logging
from pathlib import Path

import magic
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Material
from .drafting import SUPPLEMENT_KIND, SUPPLEMENT_REQUIREMENT, locked_for_editing
from .errors import ServiceError
from .virus_scan import ScannerUnavailable, TooLargeToScan, scanner

logger = logging.getLogger(__name__)

# What libmagic reports for each extension we accept.
CONTENT_TYPES = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "dwg": {"image/vnd.dwg", "application/acad", "application/octet-stream"},
    "ofd": {"application/zip"},
    "zip": {"application/zip"},
}


def sniff(uploaded_file):
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    return magic.from_buffer(head, mime=True)


def checked_upload(uploaded_file, requirement):
    """Return (content_type, extension) or raise ServiceError saying why."""
    limit_mb = min(requirement["max_size_mb"], settings.PORTAL_UPLOAD_MAX_BYTES / 2**20)
    if uploaded_file.size > limit_mb * 2**20:
        raise ServiceError(
            _("文件过大：%(size).1f MB，“%(name)s”每个文件不超过 %(limit)g MB。")
            % {"size": uploaded_file.size / 2**20, "name": requirement["name"], "limit": limit_mb}
        )
    extension = Path(uploaded_file.name).suffix.lower().lstrip(".")
    allowed = requirement["extensions"]
    if extension not in allowed:
        raise ServiceError(
            _("“%(name)s”只接受 %(allowed)s 格式的文件。")
            % {"name": requirement["name"], "allowed": "、".join(e.upper() for e in allowed)}
        )
    content_type = sniff(uploaded_file)
    if content_type not in CONTENT_TYPES.get(extension, set()):
        raise ServiceError(
            _("文件内容与扩展名不符（%(extension)s / %(content_type)s），请检查后重新上传。")
            % {"extension": extension, "content_type": content_type}
        )
    scan(uploaded_file)
    return content_type, extension


def scan(uploaded_file):
    """The last and most expensive check. Runs while the caller holds the application
    row; clamd's reply time is bounded by PORTAL_CLAMD_TIMEOUT."""
    try:
        verdict = scanner().scan(uploaded_file)
    except TooLargeToScan as error:
        logger.error("Upload refused, larger than clamd's StreamMaxLength: %s", error)
        raise ServiceError(
            _("文件“%(name)s”超过病毒检查能接受的大小，未上传。请压缩或拆分后再上传。")
            % {"name": Path(uploaded_file.name).name}
        ) from error
    except ScannerUnavailable as error:
        logger.error("Virus scanner unavailable, upload refused: %s", error)
        raise ServiceError(
            _("暂时无法完成病毒检查，文件未上传，请稍后再试。已填写的内容不受影响。")
        ) from error
    if not verdict.clean:
        logger.warning("Upload %r refused: %s", uploaded_file.name, verdict.signature)
        raise ServiceError(
            _("文件“%(name)s”未通过病毒检查（%(signature)s），未上传。请用杀毒软件检查后重新上传。")
            % {"name": Path(uploaded_file.name).name, "signature": verdict.signature}
        )


def sha256(uploaded_file):
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def reuse_material(application_id, user, material_id):
    """Attach a file the project already gave in another stage, without
    uploading it again; the stored file is shared, the row is new."""
    with transaction.atomic():
        application, scope = locked_for_editing(application_id, user)
        source = (
            Material.objects.filter(
                pk=material_id, application__project=application.project, replaced_at__isnull=True
            )
            .exclude(application=application)
            .first()
        )
        if source is None:
            raise ServiceError(_("找不到可复用的材料。"))
        if not any(r["kind"] == source.kind for r in application.applicable_materials()):
            raise ServiceError(_("本申请不需要该材料。"))
        if not scope.allows_material(source.kind):
            raise ServiceError(_("该材料不在补正或容缺范围内，申请提交后不能再修改。"))
        return Material.objects.create(
            application=application,
            kind=source.kind,
            label=source.label,
            file=source.file.name,
            original_name=source.original_name,
            content_type=source.content_type,
            extension=source.extension,
            size=source.size,
            sha256=source.sha256,
            uploaded_by=user,
            reused_from=source,
        )


def replace_material(application_id, user, material_id, uploaded_file):
    """Upload a new version; the old one stays in the history."""
    from django.utils import timezone

    with transaction.atomic():
        old = Material.objects.select_for_update().get(
            pk=material_id, application_id=application_id, replaced_at__isnull=True
        )
        new = attach_material(application_id, user, old.kind, uploaded_file)
        old.replaced_at = timezone.now()
        old.save(update_fields=["replaced_at"])
        return new


def attach_material(application_id, user, kind, uploaded_file):
    with transaction.atomic():
        application, scope = locked_for_editing(application_id, user)
        requirement = next(
            (r for r in application.applicable_materials() if r["kind"] == kind),
            SUPPLEMENT_REQUIREMENT if kind == SUPPLEMENT_KIND else None,
        )
        if requirement is None:
            raise ServiceError(_("本申请不需要该材料。"))
        if not scope.allows_material(kind):
            raise ServiceError(_("该材料不在补正或容缺范围内，申请提交后不能再修改。"))
        content_type, extension = checked_upload(uploaded_file, requirement)
        material = Material(
            application=application,
            kind=kind,
            label=requirement["name"],
            original_name=Path(uploaded_file.name).name[:255],
            content_type=content_type,
            extension=f".{extension}",
            size=uploaded_file.size,
            sha256=sha256(uploaded_file),
            uploaded_by=user,
        )
        material.file.save("upload", uploaded_file, save=False)
        material.save()
        application.save(update_fields=["stage_version"])
        return material
