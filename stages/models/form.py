"""The fields of a stage's unified form (一张表单)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Stage

# Project attributes a form field may map to: filled once on the project and
# pre-filled in every stage (一次填报、多次复用).
PROJECT_ATTRIBUTES = [
    ("name", _("项目名称")),
    ("address", _("建设地点")),
    ("total_investment", _("总投资（万元）")),
    ("land_area", _("用地面积（平方米）")),
    ("building_area", _("总建筑面积（平方米）")),
    ("scale", _("建设规模及内容")),
    ("nature", _("建设性质")),
    ("investment_source", _("投资来源")),
    ("planned_start", _("拟开工时间")),
    ("planned_end", _("拟建成时间")),
]


class FormField(models.Model):
    class Type(models.TextChoices):
        TEXT = "text", _("单行文本")
        LONG_TEXT = "long_text", _("多行文本")
        INTEGER = "integer", _("整数")
        DECIMAL = "decimal", _("数值")
        DATE = "date", _("日期")
        CHOICE = "choice", _("单选")
        MULTIPLE_CHOICE = "multiple_choice", _("多选")
        YES_NO = "yes_no", _("是/否")

    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.CASCADE, related_name="form_fields"
    )
    key = models.SlugField(
        _("字段键"), max_length=50, help_text=_("同一阶段内唯一，保存后勿随意修改。")
    )
    label = models.CharField(_("标签"), max_length=100)
    field_type = models.CharField(_("类型"), max_length=20, choices=Type.choices)
    required = models.BooleanField(_("必填"), default=True)
    help_text = models.CharField(_("填写说明"), max_length=200, blank=True)
    choices = models.TextField(_("选项"), blank=True, help_text=_("单选、多选字段每行一个选项。"))
    regex = models.CharField(
        _("格式（正则表达式）"), max_length=200, blank=True, help_text=_("仅用于文本字段。")
    )
    regex_message = models.CharField(
        _("格式错误提示"), max_length=200, blank=True, help_text=_("不符合格式时显示给申请人。")
    )
    min_value = models.DecimalField(
        _("最小值"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最大值"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    section = models.CharField(
        _("分组"), max_length=50, blank=True, help_text=_("同一分组的字段显示在一起。")
    )
    project_attribute = models.CharField(
        _("对应项目信息"),
        max_length=30,
        blank=True,
        choices=PROJECT_ATTRIBUTES,
        help_text=_("设置后从项目信息预填，并在各阶段间共享。"),
    )
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
        errors = {}
        choice_types = {self.Type.CHOICE, self.Type.MULTIPLE_CHOICE}
        numeric_types = {self.Type.INTEGER, self.Type.DECIMAL}
        if self.field_type in choice_types and not self.choice_list:
            errors["choices"] = _("单选、多选字段至少需要一个选项。")
        if self.field_type not in choice_types and self.choices.strip():
            errors["choices"] = _("只有单选、多选字段可以设置选项。")
        if self.regex:
            if self.field_type not in {self.Type.TEXT, self.Type.LONG_TEXT}:
                errors["regex"] = _("只有文本字段可以设置格式。")
            else:
                try:
                    re.compile(self.regex)
                except re.error as error:
                    errors["regex"] = _("正则表达式无效：%(error)s") % {"error": error}
        has_bounds = self.min_value is not None or self.max_value is not None
        if has_bounds and self.field_type not in numeric_types:
            errors["min_value"] = _("只有整数、数值字段可以设置最小值和最大值。")
        elif (
            has_bounds
            and None not in (self.min_value, self.max_value)
            and (self.min_value > self.max_value)
        ):
            errors["max_value"] = _("最大值不能小于最小值。")
        if (
            self.key
            and self.stage_id
            and FormField.objects.filter(stage_id=self.stage_id, key=self.key)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["key"] = _("字段键“%(key)s”在本阶段已被使用。") % {"key": self.key}
        if errors:
            raise ValidationError(errors)
