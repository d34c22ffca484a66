"""Subscribers and the outbox of deliveries.

A WebhookDelivery row is written in the transaction of the state change it
announces (see outbox.py), so a rolled-back transition announces nothing and
a committed one is never lost: the row waits, `pending`, until a worker
POSTs it and marks it `delivered` in the transaction that holds its lock."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret():
    return secrets.token_urlsafe(32)


def validate_endpoint(url):
    URLValidator(schemes=["http", "https"])(url)
    if "@" in url.split("/", 3)[2]:
        raise ValidationError(_("地址中不能包含用户名或密码，请使用签名密钥验证来源。"))


class Subscriber(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500, validators=[validate_endpoint])
    # Kept in clear: the portal needs it to sign every delivery. Shown once
    # when created or rotated, masked afterwards.
    secret = models.CharField(_("签名密钥"), max_length=128, default=new_secret, editable=False)
    events = models.JSONField(_("订阅事件"), default=list, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    allow_internal = models.BooleanField(
        _("允许内网地址"),
        default=False,
        help_text=_(
            "仅超级管理员可勾选：允许推送到本机、内网或链路本地地址（如 127.0.0.1、"
            "10.x、169.254.169.254）。默认只推送到公网地址。"
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_subscribers",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送订阅")
        verbose_name_plural = _("推送订阅")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def masked_secret(self):
        return f"••••••••{self.secret[-4:]}"

    def wants(self, event):
        return self.active and event in self.events

    def clean(self):
        from .addresses import named_internal_host
        from .events import event_names

        host = None if self.allow_internal else named_internal_host(self.url or "")
        if host:
            raise ValidationError(
                {"url": _("不能推送到内网地址 %(host)s（需超级管理员允许）。") % {"host": host}}
            )
        unknown = set(self.events) - event_names()
        if unknown:
            raise ValidationError(
                {"events": _("未知事件：%(names)s") % {"names": "、".join(sorted(unknown))}}
            )


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待推送")
        DELIVERED = "delivered", _("已推送")
        FAILED = "failed", _("推送失败")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("订阅"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("事件"), max_length=60, db_index=True)
    payload = models.JSONField(_("推送内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("推送成功时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The re-queue sweep: small, because delivered rows leave it.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.subscriber}"
