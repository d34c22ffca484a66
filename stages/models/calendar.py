"""The working-day calendar as data: each year's statutory holidays and 调休
make-up days loaded from the national calendar, plus admin overrides.

Only the days that differ from the Monday–Friday rule are stored. A year is
usable only once it has been loaded (CalendarYear); the arithmetic refuses
any other year rather than guess."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=100)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        MAKE_UP = "make_up", _("调休上班")
        CLOSURE = "closure", _("临时停止办公")
        EXTRA_WORKING = "extra_working", _("临时增加工作日")

    class Source(models.TextChoices):
        NATIONAL = "national", _("国务院办公厅通知")
        ADMIN = "admin", _("管理员调整")

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    source = models.CharField(
        _("来源"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("日历调整日")
        verbose_name_plural = _("日历调整日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.is_working_day = self.kind in {self.Kind.MAKE_UP, self.Kind.EXTRA_WORKING}
        super().save(*args, **kwargs)
