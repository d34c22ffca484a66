"""Files an applicant hands in with an application, kept in private storage."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


def material_path(instance, filename):
    # The stored name never reuses the uploader's file name (path tricks,
    # personal data in names); the original is kept in a column.
    return f"materials/{instance.application_id}/{instance.sha256[:16]}{instance.extension}"


class Material(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.SlugField(_("材料种类"), max_length=50, db_index=True)
    label = models.CharField(_("材料名称"), max_length=150)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    extension = models.CharField(_("扩展名"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    reused_from = models.ForeignKey(
        "self",
        verbose_name=_("复用自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("一次提交、多次复用：引用之前阶段已提交的同种材料，不重复上传。"),
    )
    replaced_at = models.DateTimeField(
        _("被替换时间"),
        null=True,
        blank=True,
        help_text=_("替换后旧文件保留在历史中，不再作为有效材料。"),
    )

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["uploaded_at"]

    def __str__(self):
        return f"{self.label}: {self.original_name}"
