"""Stored reports (日报、周报、旬报 and on-demand ones) and who receives them.

A report is one row per kind, period and jurisdiction (a unique constraint),
so a beat that fires twice, or two workers, never make two. Its files are
private: they are served by a view that checks the supervisor."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stages.models import Jurisdiction


def report_upload_to(report, filename):
    return f"supervision/reports/{report.period_end:%Y}/{filename}"


class Report(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", _("日报")
        WEEKLY = "weekly", _("周报")
        TEN_DAY = "ten_day", _("旬报")
        CUSTOM = "custom", _("自定义区间")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("统计范围"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("市本级表示全市。"),
    )
    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True)
    csv = models.FileField(_("CSV"), upload_to=report_upload_to, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=report_upload_to, blank=True)
    has_data = models.BooleanField(_("本期有数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监督报表")
        verbose_name_plural = _("监督报表")
        ordering = ["-period_end", "kind", "jurisdiction__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end", "jurisdiction"],
                name="one_report_per_kind_period_jurisdiction",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="report_period_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction} {self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self):
        if self.period_start == self.period_end:
            return f"{self.period_start:%Y-%m-%d}"
        return f"{self.period_start:%Y-%m-%d} ~ {self.period_end:%Y-%m-%d}"

    @property
    def file_stem(self):
        return (
            f"report-{self.jurisdiction.code}-{self.kind}-"
            f"{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}"
        )

    @property
    def is_generated(self):
        return self.generated_at is not None


class ReportRecipient(models.Model):
    """Who gets the periodic reports of a jurisdiction by email (configured
    in admin). On-demand reports are downloaded by whoever asked for them."""

    name = models.CharField(_("姓名或单位"), max_length=100)
    email = models.EmailField(_("电子邮箱"))
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("接收哪个范围的报表"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("市本级表示全市汇总报表。"),
    )
    daily = models.BooleanField(_("日报"), default=True)
    weekly = models.BooleanField(_("周报"), default=True)
    ten_day = models.BooleanField(_("旬报"), default=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("报表接收人")
        verbose_name_plural = _("报表接收人")
        ordering = ["jurisdiction__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "email"], name="one_recipient_per_jurisdiction_email"
            )
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def receives(self, kind):
        return bool(getattr(self, kind, False))
