"""A construction project of one enterprise; its shared facts are filled once
and reused by every stage (一次填报、多次复用)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Enterprise
from stages.models import Jurisdiction, ProjectType

from ..project_code import validate_project_code
from .visibility import scoped_to


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped_to(self, user)


class Project(models.Model):
    class InvestmentSource(models.TextChoices):
        GOVERNMENT = "government", _("政府投资")
        SOCIAL = "social", _("社会投资")

    class ApprovalType(models.TextChoices):
        APPROVAL = "approval", _("审批")
        VERIFICATION = "verification", _("核准")
        FILING = "filing", _("备案")

    class Nature(models.TextChoices):
        NEW = "new", _("新建")
        RECONSTRUCTION = "reconstruction", _("改建")
        EXTENSION = "extension", _("扩建")
        RELOCATION = "relocation", _("迁建")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("建设单位"), on_delete=models.PROTECT, related_name="projects"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(
        _("投资项目统一代码"),
        max_length=24,
        blank=True,
        validators=[validate_project_code],
        help_text=_("工程建设项目必填，如 2105-341000-47-01-000123；其他事项（如开餐馆）可不填。"),
    )
    name = models.CharField(_("项目名称"), max_length=200)
    address = models.CharField(_("建设地点"), max_length=200)
    flow_type = models.ForeignKey(
        ProjectType,
        verbose_name=_("审批流程类型"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    investment_source = models.CharField(
        _("投资来源"), max_length=20, choices=InvestmentSource.choices, blank=True
    )
    approval_type = models.CharField(
        _("立项类型"), max_length=20, choices=ApprovalType.choices, blank=True
    )
    nature = models.CharField(_("建设性质"), max_length=20, choices=Nature.choices, blank=True)
    total_investment = models.DecimalField(
        _("总投资（万元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    building_area = models.DecimalField(
        _("总建筑面积（平方米）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
    )
    land_area = models.DecimalField(
        _("用地面积（平方米）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
    )
    scale = models.TextField(_("建设规模及内容"), blank=True)
    planned_start = models.DateField(_("拟开工时间"), null=True, blank=True)
    planned_end = models.DateField(_("拟建成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                condition=~models.Q(code=""),
                name="project_code_unique_per_enterprise",
            )
        ]

    def __str__(self):
        return self.name

    def held_certificate_type_ids(self):
        """Certificate types this project holds in force (issued, rendered,
        neither revoked nor superseded)."""
        from .certificate import Certificate

        return Certificate.objects.held_type_ids(self)

    def clean(self):
        if self.planned_start and self.planned_end and self.planned_end <= self.planned_start:
            raise ValidationError({"planned_end": _("拟建成时间应晚于拟开工时间。")})
