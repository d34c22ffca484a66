"""The append-only log of what happened to each ticket, written in the same
transaction as the change: the audit trail behind the waiting and serving
times."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TicketEvent(models.Model):
    class Action(models.TextChoices):
        TAKE = "take", _("取号")
        CALL = "call", _("叫号")
        RECALL = "recall", _("重呼")
        START_SERVING = "start_serving", _("开始办理")
        FINISH = "finish", _("办结")
        NO_SHOW = "no_show", _("过号")

    ticket = models.ForeignKey(
        "queueing.Ticket", verbose_name=_("排队号"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("为空表示取号机。"),
    )
    window = models.ForeignKey(
        "queueing.Window",
        verbose_name=_("窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("排队记录")
        verbose_name_plural = _("排队记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("TicketEvent rows are append-only.")
        super().save(*args, **kwargs)
