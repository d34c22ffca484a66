"""特别程序 (行政许可法 §45): periods that do not count toward a limit —
expert review, publicity, hearings, site surveys, testing… — of one task or
the whole application. The applicant is told in writing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application
from .review_task import ReviewTask


class Suspension(models.Model):
    class Kind(models.TextChoices):
        EXPERT_REVIEW = "expert_review", _("专家评审")
        PUBLICITY = "publicity", _("公示")
        HEARING = "hearing", _("听证")
        SITE_SURVEY = "site_survey", _("现场勘察")
        TESTING = "testing", _("检验检测检疫")
        APPRAISAL = "appraisal", _("鉴定")
        TENDER = "tender", _("招标拍卖")

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="suspensions"
    )
    task = models.ForeignKey(
        ReviewTask,
        verbose_name=_("审查任务"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suspensions",
        help_text=_("为空表示整个申请暂停。"),
    )
    kind = models.CharField(_("特别程序类型"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("理由"))
    expected_working_days = models.PositiveSmallIntegerField(_("预计时长（工作日）"))
    started_on = models.DateField(_("开始日期"))
    expected_end_on = models.DateField(_("预计结束日期"), db_index=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(_("实际暂停工作日"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "task"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_suspension_per_subject",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.application}"
