"""People: users with one role each, and the enterprises applicants act for.

Staff postings (jurisdiction, department) live in `stages`, which owns those
vocabularies; this module depends on nothing else in the project.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .credit_code import normalize, validate_credit_code


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人（企业经办人）")
    AGENT = "agent", _("代办员")
    CLERK = "clerk", _("综合窗口收件员")
    REVIEWER = "reviewer", _("部门审查员")
    SUPERVISOR = "supervisor", _("效能监督员")
    ADMINISTRATOR = "administrator", _("系统管理员")


STAFF_ROLES = {Role.CLERK, Role.REVIEWER, Role.SUPERVISOR, Role.ADMINISTRATOR}


class Enterprise(models.Model):
    """A 建设单位 identified by its 统一社会信用代码."""

    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18位，GB 32100-2015，末位为校验码。"),
    )
    name = models.CharField(_("单位名称"), max_length=200)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"

    def clean(self):
        self.credit_code = normalize(self.credit_code)


class User(AbstractUser):
    role = models.CharField(
        _("角色"), max_length=20, choices=Role.choices, default=Role.APPLICANT, db_index=True
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("所属企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("申请人所属的建设单位；工作人员留空。"),
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    is_enterprise_admin = models.BooleanField(
        _("企业管理员"),
        default=False,
        help_text=_("可邀请和移除本单位经办人；企业的首位注册人。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name

    def get_full_name(self):
        """Chinese order: family name first, no space."""
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def display_name(self):
        return self.get_full_name() or self.username

    @property
    def is_applicant(self):
        return self.role == Role.APPLICANT

    @property
    def is_clerk(self):
        return self.role == Role.CLERK

    @property
    def is_reviewer(self):
        return self.role == Role.REVIEWER

    @property
    def works_in_back_office(self):
        return self.role in STAFF_ROLES


class Invitation(models.Model):
    """An enterprise administrator's invitation to a colleague. The mailed
    link carries this row's id, signed and time-stamped (portal/membership.py);
    the row makes it single-use and revocable."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("电子邮箱"))
    invited_by = models.ForeignKey(
        User, verbose_name=_("邀请人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("接受人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("成员邀请")
        verbose_name_plural = _("成员邀请")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.enterprise.name} → {self.email}"

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None


class NotificationPreferenceQuerySet(models.QuerySet):
    def channels(self, user_ids, event, *, email=True, sms=False):
        """{user_id: {"email": bool, "sms": bool}} for one event: the user's
        row for that event, else their all-events row, else the defaults
        given (the event's own defaults, which the caller knows)."""
        chosen = {pk: {"email": email, "sms": sms} for pk in user_ids}
        rows = self.filter(user_id__in=chosen, event__in=["", event]).order_by("-event")
        seen = set()
        for row in rows:  # the event's own row sorts before the "" row
            if row.user_id not in seen:
                seen.add(row.user_id)
                chosen[row.user_id] = {"email": row.email, "sms": row.sms}
        return chosen


class NotificationPreference(models.Model):
    """Which channels a person wants notifications on, for one event or, with
    `event` blank, for every event without its own row. The in-app inbox is
    always on; only email and SMS can be turned off. A row is an override:
    with none, the event's default applies."""

    ALL_EVENTS = ""

    user = models.ForeignKey(
        User,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    event = models.CharField(
        _("事件"), max_length=50, blank=True, help_text=_("留空表示所有事件。")
    )
    email = models.BooleanField(_("邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_event")
        ]

    def __str__(self):
        return f"{self.user} · {self.event or _('所有事件')}"


class CreditStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    WATCH = "watch", _("重点关注")
    DISHONEST = "dishonest", _("失信")


class CreditRecord(models.Model):
    """The local credit list (信用信息) kept in admin: the default credit
    source until a real credit system is configured."""

    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    status = models.CharField(_("信用状态"), max_length=12, choices=CreditStatus.choices)
    reason = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")

    def __str__(self):
        return f"{self.credit_code} {self.get_status_display()}"
