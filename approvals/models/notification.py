"""Notifications: a row written in the transaction of the state change that
causes it (the in-app inbox reads these rows directly), and one
NotificationDelivery row per outside channel (email, SMS) recording whether
that channel has gone out. Celery delivers the channel rows; a delivery task
may run any number of times and sends each channel at most once per
committed success (see approvals/tasks/notifications.py for the edge)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    application = models.ForeignKey(
        "approvals.Application",
        verbose_name=_("申请"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    event = models.CharField(_("事件"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # Mirrors the email delivery's sent_at, for the pages and queries that
    # only ask "has the email gone out?".
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    # Set once no channel is pending any more (sent, skipped or given up);
    # the outbox sweep looks only at rows where it is empty.
    delivered_at = models.DateTimeField(_("投递完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [
            # The outbox sweep: small, because delivered rows leave it.
            models.Index(
                fields=["created_at"],
                condition=Q(delivered_at__isnull=True),
                name="notification_undelivered",
            ),
            # The inbox badge on every page: unread count per person.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def attempts(self):
        """Send attempts over every channel (each channel row counts its own)."""
        return sum(delivery.attempts for delivery in self.deliveries.all())


class NotificationDelivery(models.Model):
    """One outside channel of one notification. `pending` until a worker
    sends it and marks it `sent` in the same transaction that holds its row
    lock; `skipped` when the person turned the channel off or has no address;
    `failed` after the last retry (an administrator may retry it)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("不发送")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("通知"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    address = models.CharField(_("发送地址"), max_length=254, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        ordering = ["notification_id", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "channel"],
                condition=~Q(status="sent"),
                name="delivery_not_sent",
            )
        ]

    def __str__(self):
        return f"{self.notification} · {self.get_channel_display()}"
