"""API tokens: what a program presents instead of a session.

Only a SHA-256 of the secret is stored, so a database dump leaks no usable
token; the secret is shown once, when the token is created. The first eight
characters (the prefix) stay in clear to find the row without scanning.
Tokens are never edited into more power: to change scopes, issue a new one
and revoke the old."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CATALOG_READ = "catalog:read", _("读取事项目录")
    APPLICATIONS_READ = "applications:read", _("读取项目和申请")
    APPLICATIONS_WRITE = "applications:write", _("创建和填报申请")
    WINDOW_DECIDE = "window:decide", _("窗口受理")
    TASKS_DECIDE = "tasks:decide", _("部门审查")
    CERTIFICATES_READ = "certificates:read", _("读取电子证照信息")


PREFIX_LENGTH = 8
# How stale last_used_at may get: one write a minute at most, not one per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def default_expiry():
    return timezone.now() + timedelta(days=365)


class ApiTokenManager(models.Manager):
    def issue(self, owner, name, scopes, **fields):
        """Create a token; return (token, full token text shown once)."""
        token = self.model(owner=owner, name=name, scopes=sorted(scopes), **fields)
        text = token.issue_secret()
        token.full_clean()
        token.save()
        return token, text


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("所属用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("令牌以该用户的身份和权限访问接口，并受权限范围限制。"),
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：住建局审批系统对接。"))
    prefix = models.CharField(_("前缀"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    secret_hash = models.CharField(_("密钥摘要（SHA-256）"), max_length=64, editable=False)
    scopes = models.JSONField(_("权限范围"), default=list)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    expires_at = models.DateTimeField(_("过期时间"), default=default_expiry)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    def clean(self):
        unknown = sorted(set(self.scopes or []) - set(Scope.values))
        if unknown:
            raise ValidationError({"scopes": _("未知的权限范围：%(scopes)s") % {"scopes": unknown}})
        if not self.scopes:
            raise ValidationError({"scopes": _("至少选择一个权限范围。")})

    def issue_secret(self):
        """Give the (unsaved) token a fresh prefix and secret; return the
        full token text, the only time it exists in clear."""
        self.prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        while ApiToken.objects.filter(prefix=self.prefix).exists():  # 1 in 4e9 per token
            self.prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        secret = secrets.token_urlsafe(32)
        self.secret_hash = hash_secret(secret)
        return f"{self.prefix}.{secret}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self):
        return not self.is_revoked and not self.is_expired
