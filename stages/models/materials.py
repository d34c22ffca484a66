"""What an applicant hands in: one requirement per material of a stage's set
(一套材料); the kind lets a file given in one stage be reused in the next."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import CertificateType, Matter, Stage
from .situations import Situation

KNOWN_EXTENSIONS = {"pdf", "png", "jpg", "jpeg", "ofd", "dwg", "zip"}


class MaterialRequirement(models.Model):
    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.SlugField(
        _("材料种类"),
        max_length=50,
        help_text=_("同一种类的材料在各阶段间复用（一次提交、多次复用）。"),
    )
    name = models.CharField(_("材料名称"), max_length=150)
    description = models.TextField(_("说明"), blank=True)
    matters = models.ManyToManyField(
        Matter, verbose_name=_("所需事项"), blank=True, related_name="materials"
    )
    mandatory = models.BooleanField(_("必交"), default=True)
    key = models.BooleanField(
        _("关键材料"),
        default=True,
        help_text=_("关键材料受理时不得缺少；非关键材料可在签署承诺书后容缺受理。"),
    )
    accepted_types = models.CharField(
        _("允许的文件类型"),
        max_length=100,
        default="pdf",
        help_text=_("以逗号分隔的扩展名，如 pdf,jpg,png。"),
    )
    max_size_mb = models.PositiveSmallIntegerField(
        _("单个文件上限（MB）"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    template_file = models.FileField(
        _("空白表格或样表"), upload_to="material-templates/", blank=True
    )
    from_certificate_type = models.ForeignKey(
        CertificateType,
        verbose_name=_("自动取自证照"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("项目已取得该电子证照时自动关联，无需上传。"),
    )
    generated = models.BooleanField(
        _("系统生成"), default=False, help_text=_("如申请表（一张表单），由系统根据填报内容生成。")
    )
    situation = models.ForeignKey(
        Situation,
        verbose_name=_("适用情形"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="materials",
        help_text=_("设置后，仅当申请人对该情形回答“是”时才需要本材料。"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请材料要求")
        verbose_name_plural = _("申请材料要求")
        ordering = ["stage", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "kind"], name="material_kind_unique_in_stage")
        ]

    def __str__(self):
        return self.name

    @property
    def extensions(self):
        return [e.strip().lower().lstrip(".") for e in self.accepted_types.split(",") if e.strip()]

    def clean(self):
        errors = {}
        unknown = sorted(set(self.extensions) - KNOWN_EXTENSIONS)
        if not self.extensions:
            errors["accepted_types"] = _("至少允许一种文件类型。")
        elif unknown:
            errors["accepted_types"] = _("不支持的文件类型：%(types)s。可选：%(known)s。") % {
                "types": ", ".join(unknown),
                "known": ", ".join(sorted(KNOWN_EXTENSIONS)),
            }
        if self.key and not self.mandatory:
            errors["key"] = _("非必交材料不能设为关键材料。")
        if self.situation_id and self.stage_id and self.situation.stage_id != self.stage_id:
            errors["situation"] = _("适用情形必须属于同一阶段。")
        if errors:
            raise ValidationError(errors)
