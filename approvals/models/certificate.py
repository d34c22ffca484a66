"""Electronic certificates (电子证照) and their gap-free number series."""

from django.db import models
from django.utils.translation import gettext_lazy as _

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
    pdf = models.FileField(_("PDF 文件"), upload_to="certificates/", blank=True, max_length=200)
    sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "matter"], name="one_certificate_per_matter"
            )
        ]

    def __str__(self):
        return f"{self.certificate_type} {self.number}"

    @property
    def is_rendered(self):
        return self.rendered_at is not None
