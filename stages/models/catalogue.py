"""The 一件事 catalogue: stages, the matters reviewed in parallel inside each,
the certificate types they issue and the stage's unified form (一张表单)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisation import Department


class Stage(models.Model):
    """One "thing" (一件事): one guide, one form, one set of materials."""

    code = models.SlugField(_("编码"), max_length=50, unique=True)
    number = models.PositiveSmallIntegerField(
        _("阶段序号"), help_text=_("国家标准阶段编号 1–4；其他“一件事”可用更大的序号。")
    )
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+"
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"), validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("阶段（一件事）")
        verbose_name_plural = _("阶段（一件事）")
        ordering = ["order", "number"]

    def __str__(self):
        return self.name


class CertificateType(models.Model):
    code = models.SlugField(_("编码"), max_length=50, unique=True)
    name = models.CharField(_("证照名称"), max_length=100)
    number_prefix = models.CharField(
        _("编号前缀"),
        max_length=10,
        help_text=_("证照编号 = 前缀 + 行政区划代码 + 年度 + 5位序号，如 JZ341000202600001。"),
    )

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Matter(models.Model):
    """A 事项 inside a stage, reviewed by one department in parallel with the
    others."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="matters"
    )
    code = models.SlugField(_("编码"), max_length=50)
    name = models.CharField(_("事项名称"), max_length=150)
    department = models.ForeignKey(
        Department, verbose_name=_("审查部门"), on_delete=models.PROTECT, related_name="matters"
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        _("审查时限（工作日）"), validators=[MinValueValidator(1)]
    )
    mandatory = models.BooleanField(
        _("必办事项"),
        default=True,
        help_text=_("必办事项全部通过后阶段才办结；非必办事项不阻塞办结。"),
    )
    certificate_type = models.ForeignKey(
        CertificateType,
        verbose_name=_("出具证照"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["stage", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="matter_code_unique_in_stage")
        ]

    def __str__(self):
        return self.name


class FormField(models.Model):
    """A field of a stage's unified form (一张表单)."""

    class Type(models.TextChoices):
        TEXT = "text", _("单行文本")
        LONG_TEXT = "long_text", _("多行文本")
        INTEGER = "integer", _("整数")
        DECIMAL = "decimal", _("数值")
        DATE = "date", _("日期")
        CHOICE = "choice", _("单选")

    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="form_fields"
    )
    key = models.SlugField(_("字段键"), max_length=50)
    label = models.CharField(_("标签"), max_length=100)
    field_type = models.CharField(_("类型"), max_length=12, choices=Type.choices)
    required = models.BooleanField(_("必填"), default=True)
    help_text = models.CharField(_("填写说明"), max_length=200, blank=True)
    choices = models.TextField(_("选项"), blank=True, help_text=_("单选字段每行一个选项。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("表单字段")
        verbose_name_plural = _("表单字段")
        ordering = ["stage", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "key"], name="form_field_key_unique_in_stage")
        ]

    def __str__(self):
        return self.label

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        if self.field_type == self.Type.CHOICE and not self.choice_list:
            raise ValidationError({"choices": _("单选字段至少需要一个选项。")})
