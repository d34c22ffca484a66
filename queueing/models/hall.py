"""The hall's configuration, per jurisdiction: the service types a visitor
picks at the kiosk and the windows that call them."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from stages.models import Jurisdiction, Stage


class ServiceTypeQuerySet(models.QuerySet):
    def for_kiosk(self, jurisdiction):
        return self.filter(jurisdiction=jurisdiction, active=True).order_by("order", "prefix")

    def with_waiting(self, day):
        """Annotate `waiting` for `day` in one query. Day and state go into the
        JOIN condition so the per-day index is used instead of counting every
        ticket the type ever had."""
        from .ticket import TicketState

        return self.annotate(
            waiting_today=FilteredRelation(
                "tickets", condition=Q(tickets__day=day, tickets__state=TicketState.WAITING)
            ),
            waiting=Count("waiting_today"),
        )


class ServiceType(models.Model):
    """What a visitor comes for (立项用地规划许可, 综合咨询, …); its letter
    starts every ticket number of the type (A012)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("所属区域"),
        on_delete=models.PROTECT,
        related_name="service_types",
        help_text=_("每个政务服务大厅属于一个行政区域。"),
    )
    code = models.SlugField(_("编码"), max_length=40)
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(
        _("号码字母"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("请填写一个大写英文字母。"))],
        help_text=_("号码的首字母，如 A 表示 A001、A002……"),
    )
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("对应阶段"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("综合咨询等不对应阶段的业务可留空。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ServiceTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("取号业务类型")
        verbose_name_plural = _("取号业务类型")
        ordering = ["jurisdiction_id", "order", "prefix"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code"], name="service_type_code_unique_in_hall"
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "prefix"], name="service_type_prefix_unique_in_hall"
            ),
        ]

    def __str__(self):
        return f"{self.prefix} {self.name}"


class Window(models.Model):
    """A counter in the hall (3号窗口) and the service types it calls."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="windows"
    )
    number = models.PositiveSmallIntegerField(_("窗口号"))
    name = models.CharField(_("显示名称"), max_length=30, help_text=_("如“3号窗口”。"))
    service_types = models.ManyToManyField(
        ServiceType,
        verbose_name=_("办理业务"),
        related_name="windows",
        help_text=_("本窗口叫号的业务类型，须属于同一区域。"),
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["jurisdiction_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "number"], name="window_number_unique_in_hall"
            )
        ]

    def __str__(self):
        return self.name
