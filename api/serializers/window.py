"""Bodies of the window's decisions (容缺, 补正, 不予受理, 送达) and of the
applicant's answers to them (reading the correction notice, withdrawing)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from approvals.models import CorrectionNotice, Delivery


class DeficiencyAcceptanceSerializer(serializers.Serializer):
    missing = serializers.ListField(
        child=serializers.SlugField(),
        min_length=1,
        help_text=_("容缺的材料种类（仅非关键材料），见申请的 required_materials[].kind。"),
    )
    commitment = serializers.CharField(max_length=2000, help_text=_("申请人的承诺内容。"))
    committed_by = serializers.CharField(max_length=50, help_text=_("承诺人。"))
    supply_days = serializers.IntegerField(
        min_value=1, max_value=60, default=10, help_text=_("补交期限（工作日）。")
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CorrectionItemSerializer(serializers.Serializer):
    target = serializers.RegexField(
        r"^(field:[\w-]+|material:[\w-]+|other)$",
        help_text=_("field:<表单字段键>、material:<材料种类> 或 other。"),
    )
    problem = serializers.CharField(max_length=300, help_text=_("问题及如何补正。"))


class CorrectionRequestSerializer(serializers.Serializer):
    # A ListField rather than many=True: its min_length reaches the schema.
    items = serializers.ListField(
        child=CorrectionItemSerializer(),
        min_length=1,
        help_text=_("一次性告知的全部问题，每个对象一项。"),
    )


class RefusalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("不予受理理由。"))
    legal_basis = serializers.CharField(
        max_length=200, help_text=_("法律依据，如《中华人民共和国行政许可法》第三十二条。")
    )


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [*Delivery.RECORDED_FIELDS, "delivered_at"]
        read_only_fields = ["delivered_at"]


class WithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text=_("撤回理由。"))


class CorrectionItemReadSerializer(serializers.Serializer):
    target = serializers.CharField()
    label = serializers.CharField()
    problem = serializers.CharField()


class CorrectionNoticeSerializer(serializers.ModelSerializer):
    items = CorrectionItemReadSerializer(many=True)
    reopened_fields = serializers.SerializerMethodField()
    reopened_materials = serializers.SerializerMethodField()

    class Meta:
        model = CorrectionNotice
        fields = [
            "id",
            "items",
            "reopened_fields",
            "reopened_materials",
            "created_at",
            "answered_at",
        ]
        read_only_fields = fields

    def get_reopened_fields(self, notice) -> list[str]:
        """Form fields the applicant may change now (nothing else)."""
        return sorted(notice.field_keys)

    def get_reopened_materials(self, notice) -> list[str]:
        """Material kinds the applicant may upload again."""
        return sorted(notice.material_kinds)
