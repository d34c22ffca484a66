"""Intermediary services (中介服务): the registry of intermediaries by
service type (中介超市), and a project's engagements of them.

An engagement's start and finish are dates the applicant records; the
working days between them are stored at finish, because they count toward
the project's 100 working days (国办发〔2019〕11号: the target includes
intermediary services) and supervision sums them without a calendar loop."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stages.models import Stage

from .project import Project


class ServiceType(models.TextChoices):
    SURVEYING = "surveying", _("测绘")
    GEOTECHNICAL = "geotechnical", _("勘察")
    DESIGN = "design", _("设计")
    ENVIRONMENTAL = "environmental", _("环评编制")
    SOIL_WATER = "soil_water", _("水土保持方案编制")
    DRAWING_REVIEW = "drawing_review", _("施工图审查")
    COST = "cost", _("造价咨询")


class Intermediary(models.Model):
    name = models.CharField(_("机构名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(
        _("在册"), default=True, help_text=_("取消勾选后不再供申请人选择，已有委托不受影响。")
    )

    class Meta:
        verbose_name = _("中介机构")
        verbose_name_plural = _("中介机构")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class IntermediaryService(models.Model):
    """One service type an intermediary is registered (and qualified) for."""

    intermediary = models.ForeignKey(
        Intermediary, verbose_name=_("中介机构"), on_delete=models.CASCADE, related_name="services"
    )
    service_type = models.CharField(
        _("服务类型"), max_length=20, choices=ServiceType.choices, db_index=True
    )
    qualification = models.CharField(_("资质"), max_length=200, blank=True)
    promised_working_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("中介服务项目")
        verbose_name_plural = _("中介服务项目")
        ordering = ["service_type", "intermediary__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["intermediary", "service_type"], name="one_service_type_per_intermediary"
            )
        ]

    def __str__(self):
        return f"{self.intermediary} · {self.get_service_type_display()}"


class EngagementQuerySet(models.QuerySet):
    def for_project(self, project):
        return self.filter(project=project).select_related("intermediary", "stage")


class IntermediaryEngagement(models.Model):
    """The applicant picked `intermediary` for one need of the project."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="intermediary_engagements",
    )
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("服务阶段"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_type = models.CharField(_("服务类型"), max_length=20, choices=ServiceType.choices)
    need = models.CharField(_("服务需求"), max_length=200)
    intermediary = models.ForeignKey(
        Intermediary,
        verbose_name=_("中介机构"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("选取人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    picked_at = models.DateTimeField(_("选取时间"), auto_now_add=True)
    started_on = models.DateField(_("服务开始日期"), null=True, blank=True)
    finished_on = models.DateField(_("服务完成日期"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(
        _("服务用时（工作日）"),
        null=True,
        blank=True,
        help_text=_("开始日之后至完成日（含）的工作日数，计入项目100个工作日。"),
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评分"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("评价"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("中介服务委托")
        verbose_name_plural = _("中介服务委托")
        ordering = ["-picked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__gte=1, rating__lte=5, finished_on__isnull=False),
                name="engagement_rated_1_to_5_after_finish",
            ),
            models.CheckConstraint(
                condition=models.Q(finished_on__isnull=True)
                | models.Q(started_on__isnull=False, finished_on__gte=models.F("started_on")),
                name="engagement_finishes_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_service_type_display()} · {self.intermediary}"

    @property
    def status(self):
        if self.cancelled_at:
            return "cancelled"
        if self.finished_on:
            return "rated" if self.rating else "finished"
        return "in_service" if self.started_on else "picked"

    STATUS_LABELS = {
        "picked": _("已选取，待开始"),
        "in_service": _("服务中"),
        "finished": _("已完成，待评价"),
        "rated": _("已完成，已评价"),
        "cancelled": _("已取消"),
    }

    @property
    def status_label(self):
        return self.STATUS_LABELS[self.status]
