"""Who works where: jurisdictions (市、县(区)一体化), departments and utility
companies, and each staff user's posting."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Jurisdiction(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("市本级")
        DISTRICT = "district", _("区")
        COUNTY = "county", _("县")

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def is_city(self):
        return self.level == self.Level.CITY


class Department(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        UTILITY = "utility", _("公用服务企业")

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, default=Kind.GOVERNMENT)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self):
        return self.name


class StaffMembership(models.Model):
    """A staff user's posting: the jurisdiction whose data they see and, for
    reviewers, the department whose matters they review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="staff_membership",
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所属区域"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("部门审查员必填；综合窗口与监督人员可留空。"),
    )

    class Meta:
        verbose_name = _("工作人员岗位")
        verbose_name_plural = _("工作人员岗位")

    def __str__(self):
        return f"{self.user} @ {self.jurisdiction}"

    def sees_jurisdiction(self, jurisdiction_id):
        """City-level staff see every jurisdiction; others only their own."""
        return self.jurisdiction.is_city or self.jurisdiction_id == jurisdiction_id


class AgentZone(models.Model):
    """A zone whose agent team (全程代办) serves the projects located in it:
    a jurisdiction, or a park with its own team."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("对应行政区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("该区域的项目默认由本代办组服务；园区代办组可留空。"),
    )

    class Meta:
        verbose_name = _("代办区域")
        verbose_name_plural = _("代办区域")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgentPosting(models.Model):
    """An agent's (代办员) zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代办员"),
        on_delete=models.CASCADE,
        related_name="agent_posting",
    )
    zone = models.ForeignKey(AgentZone, verbose_name=_("代办区域"), on_delete=models.PROTECT)
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("代办员岗位")
        verbose_name_plural = _("代办员岗位")

    def __str__(self):
        return f"{self.user} @ {self.zone}"
