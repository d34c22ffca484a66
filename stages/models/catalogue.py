"""The 一件事 catalogue: stages, the matters reviewed in parallel inside each,
the certificate types they issue and the project types they apply to."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisation import Department


class ProjectType(models.Model):
    """审批流程类型 (政府投资房建类, 一般社会投资, 小型社会投资, …)."""

    code = models.SlugField(_("编码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("审批流程类型")
        verbose_name_plural = _("审批流程类型")
        ordering = ["order", "id"]

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
    prerequisites = models.ManyToManyField(
        CertificateType,
        verbose_name=_("前置证照"),
        blank=True,
        related_name="required_by_stages",
        help_text=_("项目须已取得这些证照才能申请本阶段，如施工许可须先取得建设工程规划许可证。"),
    )
    project_types = models.ManyToManyField(
        ProjectType,
        verbose_name=_("适用流程类型"),
        blank=True,
        help_text=_("留空表示适用于所有项目类型。"),
    )
    is_construction = models.BooleanField(
        _("工程建设项目阶段"),
        default=True,
        help_text=_("取消勾选用于“我要开餐馆”等其他一件事，不计入100个工作日目标。"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("阶段（一件事）")
        verbose_name_plural = _("阶段（一件事）")
        ordering = ["order", "number"]

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
        Department,
        verbose_name=_("审查部门或公用企业"),
        on_delete=models.PROTECT,
        related_name="matters",
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        _("审查时限（工作日）"), validators=[MinValueValidator(1)]
    )
    mandatory = models.BooleanField(
        _("必办事项"),
        default=True,
        help_text=_("必办事项全部通过后阶段才办结；非必办事项（如燃气报装）不阻塞办结。"),
    )
    situation = models.ForeignKey(
        "stages.Situation",
        verbose_name=_("适用情形"),
        # RESTRICT, not PROTECT: deleting a whole stage cascades to both.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="matters",
        help_text=_("设置后，仅当申请人对该情形回答“是”时才办理本事项。"),
    )
    certificate_type = models.ForeignKey(
        CertificateType,
        verbose_name=_("出具证照"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
    )
    joint_session = models.BooleanField(
        _("参加联合会审"),
        default=False,
        help_text=_("参加本阶段的联合踏勘、联合图审或联合验收。"),
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

    def clean(self):
        errors = {}
        stage = getattr(self, "stage", None)
        limit = self.time_limit_working_days
        stage_limit = stage.time_limit_working_days if stage is not None else None
        if stage_limit is not None and limit and limit > stage_limit:
            errors["time_limit_working_days"] = _(
                "事项时限（%(limit)d 个工作日）不能超过阶段承诺时限（%(stage_limit)d 个工作日）。"
            ) % {"limit": limit, "stage_limit": stage.time_limit_working_days}
        if self.situation_id and stage is not None and self.situation.stage_id != stage.pk:
            errors["situation"] = _("适用情形必须属于同一阶段。")
        if errors:
            raise ValidationError(errors)
