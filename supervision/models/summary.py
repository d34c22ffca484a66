"""The working days decided items took, summarised per closed day: what
makes the duration figures of a long period fast (a year is about a
million decided review tasks; a year of summary rows is a few thousand).

One row per (kind, local decision day, jurisdiction, stage, matter,
department, working days taken) with how many items share it and how many
of those were on time: a frequency table, from which the average and the
90th percentile come out exactly as PostgreSQL's AVG and percentile_cont
would give them. Whole months are summarised again as one row per month
(`span`), so a year reads about a thirtieth of the daily rows.

The rows cover days before `SummaryState.covers_before`; the figures read
later decisions live, so a late or missing refresh costs time, never
accuracy. Rebuilt whole once a day (`supervision.summaries.refresh`), which
also takes in calendar corrections."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionSummary(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("申请")
        TASK = "task", _("审查任务")

    class Span(models.TextChoices):
        DAY = "day", _("日")
        MONTH = "month", _("月")

    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    span = models.CharField(_("汇总粒度"), max_length=5, choices=Span.choices)
    decided_on = models.DateField(_("办结日"), help_text=_("按月汇总时为当月1日。"))
    # Plain ids, not foreign keys: a derived table, rebuilt from the rows
    # it summarises, must never hold up deleting a catalogue entry.
    jurisdiction_id = models.BigIntegerField(_("区域"))
    stage_id = models.BigIntegerField(_("阶段"))
    matter_id = models.BigIntegerField(_("事项"), null=True)
    department_id = models.BigIntegerField(_("部门"), null=True)
    elapsed = models.IntegerField(_("用时（工作日）"))
    items = models.PositiveIntegerField(_("件数"))
    on_time_items = models.PositiveIntegerField(_("按期办结件数"))

    class Meta:
        verbose_name = _("办结用时汇总")
        verbose_name_plural = _("办结用时汇总")
        indexes = [
            models.Index(fields=["kind", "span", "decided_on"], name="summary_kind_span_day_idx")
        ]

    def __str__(self):
        return f"{self.kind} {self.decided_on} × {self.items}"


class SummaryState(models.Model):
    """One row: how far the summary reaches."""

    covers_before = models.DateField(_("汇总截至（不含）"))
    covers_before_moment = models.DateTimeField(_("汇总截至时刻"))
    refreshed_at = models.DateTimeField(_("汇总时间"))

    class Meta:
        verbose_name = _("汇总状态")
        verbose_name_plural = _("汇总状态")

    def __str__(self):
        return f"< {self.covers_before}"
