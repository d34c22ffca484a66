"""Frozen copies of a stage's configuration: an application keeps the
version it was submitted under, so editing a stage changes only new ones."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Stage


class StageVersion(models.Model):
    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    digest = models.CharField(_("内容摘要"), max_length=64)
    content = models.JSONField(_("配置内容"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阶段配置版本")
        verbose_name_plural = _("阶段配置版本")
        ordering = ["stage", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "number"], name="stage_version_number_unique"),
            models.UniqueConstraint(fields=["stage", "digest"], name="stage_version_digest_unique"),
        ]

    def __str__(self):
        return f"{self.stage} v{self.number}"
