"""督办: a supervisor flags an overdue review task with a note and a new
deadline. The department's inbox lists escalated tasks first; the
escalation is resolved when the task is decided (see `signals`) or by hand.
Rows are never deleted: they are the record of who pressed whom, when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from approvals.models import ReviewTask


class EscalationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Escalation(models.Model):
    task = models.ForeignKey(
        ReviewTask,
        verbose_name=_("审查任务"),
        on_delete=models.CASCADE,
        related_name="escalations",
    )
    note = models.TextField(_("督办意见"))
    new_deadline = models.DateField(_("限期办结日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A second flag on a task already escalated would only split the
            # department's attention; change the open one instead.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_escalation_per_task",
            )
        ]

    def __str__(self):
        return f"{self.task_id} → {self.new_deadline}"

    @property
    def is_open(self):
        return self.resolved_at is None
