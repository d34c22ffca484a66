"""The 办事指南 of a stage: what an applicant reads before starting."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Stage


class Guide(models.Model):
    stage = models.OneToOneField(
        Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="guide"
    )
    legal_basis = models.TextField(_("设定依据"), blank=True)
    conditions = models.TextField(_("申请条件"), blank=True)
    process = models.TextField(_("办理流程"), blank=True, help_text=_("每行一个步骤。"))
    fees = models.TextField(_("收费标准"), blank=True, help_text=_("不收费请写“不收费”。"))
    window_address = models.CharField(_("办理地点"), max_length=200, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=50, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=50, blank=True)
    promise = models.CharField(
        _("承诺"), max_length=200, blank=True, help_text=_("如：免费邮寄送达、一次告知。")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    def __str__(self):
        return str(self.stage)

    @property
    def process_steps(self):
        return [line.strip() for line in self.process.splitlines() if line.strip()]
