"""Situations (情形): yes/no questions whose answers switch conditional
matters and materials on, so each applicant sees only what applies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Stage


class Situation(models.Model):
    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="situations"
    )
    code = models.SlugField(_("编码"), max_length=50)
    question = models.CharField(_("问题"), max_length=200, help_text=_("如：是否涉及人防工程？"))
    help_text = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("情形")
        verbose_name_plural = _("情形")
        ordering = ["stage", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="situation_code_unique_in_stage")
        ]

    def __str__(self):
        return self.question
