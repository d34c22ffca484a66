"""Electronic certificates (电子证照), their lifecycle (valid → revoked, or
valid → superseded by an amended version) and their gap-free number series.

What a certificate prints is frozen in `printed` when it is issued, so a
later change to the project or the type's configuration never changes a
document already handed out; an amendment is a new certificate."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from stages.models import CertificateType, Jurisdiction, Matter

from .application import Application


class CertificateNumberSeries(models.Model):
    """The last number used per certificate type, jurisdiction and year.

    Taken under a row lock inside the issuing transaction, so numbers are
    unique and gap-free: a rolled-back issue rolls its number back too."""

    certificate_type = models.ForeignKey(
        CertificateType, verbose_name=_("证照类型"), on_delete=models.PROTECT
    )
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("区域"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用最大序号"), default=0)

    class Meta:
        verbose_name = _("证照编号序列")
        verbose_name_plural = _("证照编号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_type", "jurisdiction", "year"], name="one_series_per_type_year"
            )
        ]

    def __str__(self):
        return f"{self.certificate_type} {self.jurisdiction} {self.year}: {self.last_number}"


class CertificateState(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")
    SUPERSEDED = "superseded", _("已变更（由新版本替代）")


def _model_permission(codename):
    """django-fsm calls permission(instance, user)."""

    def check(instance, user):
        return user.has_perm(f"approvals.{codename}")

    check.__name__ = f"may_{codename}"
    return check


class CertificateQuerySet(models.QuerySet):
    def in_force(self):
        """Issued, rendered and neither revoked nor superseded: what a later
        stage may rely on (材料复用) and what counts as held."""
        return self.filter(state=CertificateState.VALID, rendered_at__isnull=False)

    def held_type_ids(self, project):
        """Certificate types the project holds in force."""
        return set(
            self.in_force()
            .filter(application__project=project)
            .values_list("certificate_type_id", flat=True)
        )


class Certificate(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="certificates"
    )
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.PROTECT)
    certificate_type = models.ForeignKey(
        CertificateType, verbose_name=_("证照类型"), on_delete=models.PROTECT
    )
    number = models.CharField(_("证照编号"), max_length=40, unique=True)
    issued_on = models.DateField(_("发证日期"))
    state = FSMField(
        _("状态"), max_length=20, choices=CertificateState.choices, default=CertificateState.VALID
    )
    printed = models.JSONField(
        _("印制内容"),
        default=dict,
        help_text=_("发证时冻结的标题、发证机关、字段及其取值。"),
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("替代的证照"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    amendment_reason = models.TextField(_("变更事由"), blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revocation_reason = models.TextField(_("撤销理由"), blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="certificates/", blank=True, max_length=200)
    sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    signed_by = models.CharField(
        _("签名证书"), max_length=200, blank=True, help_text=_("为空表示未加数字签名。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True, db_index=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-issued_on", "number"]
        permissions = [
            ("revoke_certificate", _("可撤销电子证照")),
            ("amend_certificate", _("可变更电子证照")),
        ]
        constraints = [
            # One original per matter; amendments chain from it through
            # `supersedes` (one-to-one, so the chain never forks).
            models.UniqueConstraint(
                fields=["application", "matter"],
                condition=Q(supersedes__isnull=True),
                name="one_certificate_per_matter",
            )
        ]

    def __str__(self):
        return f"{self.certificate_type} {self.number}"

    @property
    def is_rendered(self):
        return self.rendered_at is not None

    @property
    def is_in_force(self):
        return self.state == CertificateState.VALID

    @property
    def successor(self):
        """The certificate that replaced this one, or None."""
        return getattr(self, "superseded_by", None)

    @property
    def title(self):
        return self.printed.get("title") or self.certificate_type.name

    @property
    def issuer(self):
        return self.printed.get("issuer") or self.matter.department.name

    def printed_value(self, source):
        group, _dot, key = source.partition(".")
        return self.printed.get("values", {}).get(group, {}).get(key, "")

    @transition(
        field=state,
        source=CertificateState.VALID,
        target=CertificateState.REVOKED,
        permission=_model_permission("revoke_certificate"),
    )
    def revoke(self, reason, when):
        self.revocation_reason = reason
        self.revoked_at = when

    @transition(
        field=state,
        source=CertificateState.VALID,
        target=CertificateState.SUPERSEDED,
        permission=_model_permission("amend_certificate"),
    )
    def supersede(self):
        pass
