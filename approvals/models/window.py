"""What the window decides besides plain acceptance: 容缺 (accepted with a
missing non-key material against a signed commitment), the one-time
correction notice (一次性补正告知), and hand-out or mailing of the result."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application, DeliveryMethod


class Deficiency(models.Model):
    """容缺受理: review proceeds, the certificate waits until it is cleared."""

    application = models.OneToOneField(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="deficiency"
    )
    items = models.JSONField(_("容缺材料"), help_text=_("[{kind, name}]"))
    commitment = models.TextField(_("承诺内容"))
    committed_by = models.CharField(_("承诺人"), max_length=50)
    supply_due_on = models.DateField(_("补交期限"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    overdue_warned_at = models.DateTimeField(_("逾期警告时间"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("容缺受理记录")
        verbose_name_plural = _("容缺受理记录")

    def __str__(self):
        return f"{self.application} 容缺"

    @property
    def is_open(self):
        return self.cleared_at is None

    @property
    def kinds(self):
        return [item["kind"] for item in self.items]


class CorrectionNotice(models.Model):
    """一次性补正告知: ONE notice listing every problem. Only what it lists is
    reopened for the applicant."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("申请"),
        on_delete=models.CASCADE,
        related_name="correction_notices",
    )
    items = models.JSONField(
        _("补正事项"),
        help_text=_("[{target: field:<key> | material:<kind> | other, label, problem}]"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("告知人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("告知时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("补正提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.application} 补正告知"

    def reopened(self, prefix):
        return {
            item["target"].split(":", 1)[1]
            for item in self.items
            if item["target"].startswith(prefix + ":")
        }

    @property
    def field_keys(self):
        return self.reopened("field")

    @property
    def material_kinds(self):
        return self.reopened("material")


class Delivery(models.Model):
    """送达: collected at the window or mailed free of charge (免费邮寄)."""

    Method = DeliveryMethod

    class Carrier(models.TextChoices):
        EMS = "ems", _("中国邮政 EMS")
        SF = "sf", _("顺丰速运")
        JD = "jd", _("京东物流")

    # Tracking number formats: EMS domestic 13 digits or UPU S10 (EA123456789CN),
    # SF "SF" + 12–15 digits, JD "JD" + 13–18 characters.
    TRACKING_FORMATS = {
        Carrier.EMS: re.compile(r"^(\d{13}|[A-Z]{2}\d{9}[A-Z]{2})$"),
        Carrier.SF: re.compile(r"^SF\d{12,15}$"),
        Carrier.JD: re.compile(r"^JD[0-9A-Z]{13,18}$"),
    }

    # What the clerk records (the page's form and the API both take these).
    RECORDED_FIELDS = [
        "method",
        "collector_name",
        "collector_id_last4",
        "carrier",
        "tracking_number",
        "address",
    ]

    application = models.OneToOneField(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="delivery"
    )
    method = models.CharField(_("送达方式"), max_length=10, choices=Method.choices)
    collector_name = models.CharField(_("领取人"), max_length=50, blank=True)
    collector_id_last4 = models.CharField(
        _("领取人证件号后四位"),
        max_length=4,
        blank=True,
        help_text=_("只保存后四位，核验身份后即可，不留存完整证件号。"),
    )
    carrier = models.CharField(_("快递公司"), max_length=10, choices=Carrier.choices, blank=True)
    tracking_number = models.CharField(_("运单号"), max_length=30, blank=True)
    address = models.CharField(_("邮寄地址"), max_length=200, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("送达登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")

    def __str__(self):
        return f"{self.application} {self.get_method_display()}"

    def covers(self, certificate):
        """Whether this hand-out included the certificate: a version issued
        after it (an amendment) has not been handed over yet."""
        return certificate.application_id == self.application_id and (
            certificate.created_at <= self.delivered_at
        )

    def clean(self):
        errors = {}
        if self.method == self.Method.COLLECT:
            if not self.collector_name.strip():
                errors["collector_name"] = _("请填写领取人姓名。")
            if not re.fullmatch(r"[0-9]{3}[0-9X]", self.collector_id_last4 or ""):
                errors["collector_id_last4"] = _(
                    "请填写领取人身份证号码后四位（数字，末位可为 X）。"
                )
        elif self.method == self.Method.MAIL:
            if not self.carrier:
                errors["carrier"] = _("请选择快递公司。")
            elif not self.TRACKING_FORMATS[self.carrier].match(self.tracking_number or ""):
                errors["tracking_number"] = _("“%(number)s”不是有效的%(carrier)s运单号。") % {
                    "number": self.tracking_number,
                    "carrier": self.get_carrier_display(),
                }
            if not self.address.strip():
                errors["address"] = _("请填写邮寄地址。")
        if errors:
            raise ValidationError(errors)
