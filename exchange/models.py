"""Where each table's export has got to, and the files each run wrote."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportCursor(models.Model):
    """Every row of `table` that changed at or before `exported_until` has
    been written to some file; the next run starts after it."""

    table = models.CharField(_("数据表"), max_length=40, unique=True)
    exported_until = models.DateTimeField(_("已导出至（变更时间）"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("导出进度")
        verbose_name_plural = _("导出进度")
        ordering = ["table"]

    def __str__(self):
        return self.table


class ExportFile(models.Model):
    """One table's rows of one run: rows whose change time lies in
    (`changed_after`, `changed_until`]."""

    table = models.CharField(_("数据表"), max_length=40)
    path = models.CharField(_("文件"), max_length=200, help_text=_("私有存储中的路径。"))
    rows = models.PositiveIntegerField(_("行数"))
    changed_after = models.DateTimeField(_("变更时间晚于"), null=True, blank=True)
    changed_until = models.DateTimeField(_("变更时间不晚于"))
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("导出文件")
        verbose_name_plural = _("导出文件")
        ordering = ["-created_at", "table"]

    def __str__(self):
        return self.path
