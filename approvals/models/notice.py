"""Written notices the law requires (受理通知书, 补正告知书, 不予受理决定书, …):
a row written with the decision, its PDF rendered by the worker."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class Notice(models.Model):
    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("受理通知书")
        DEFICIENCY_ACCEPTANCE = "deficiency_acceptance", _("容缺受理通知书")
        CORRECTION = "correction", _("补正材料通知书")
        REFUSAL = "refusal", _("不予受理决定书")
        RECEIPT = "receipt", _("申请回执")
        SUSPENSION = "suspension", _("特别程序告知书")

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("文书类型"), max_length=30, choices=Kind.choices)
    body = models.JSONField(_("文书内容"), default=dict)
    pdf = models.FileField(_("PDF 文件"), upload_to="notices/", blank=True, max_length=200)
    sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("出具时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("告知文书")
        verbose_name_plural = _("告知文书")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.application.number}"

    @property
    def number(self):
        return f"{self.application.number}-{self.pk:04d}"
