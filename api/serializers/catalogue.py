"""The public catalogue: a stage with everything its guide shows."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stages.models import FormField, Guide, MaterialRequirement, Matter, Situation, Stage

from .common import CodeNameSerializer


class SituationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Situation
        fields = ["code", "question", "help_text"]


class MatterSerializer(serializers.ModelSerializer):
    department = CodeNameSerializer()
    situation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    certificate_type = CodeNameSerializer(allow_null=True)

    class Meta:
        model = Matter
        fields = [
            "code",
            "name",
            "department",
            "time_limit_working_days",
            "mandatory",
            "situation",
            "certificate_type",
            "joint_session",
        ]


class MaterialRequirementSerializer(serializers.ModelSerializer):
    extensions = serializers.ListField(child=serializers.CharField(), read_only=True)
    situation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    from_certificate_type = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    matters = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    template_url = serializers.SerializerMethodField()

    class Meta:
        model = MaterialRequirement
        fields = [
            "kind",
            "name",
            "description",
            "mandatory",
            "key",
            "extensions",
            "max_size_mb",
            "situation",
            "from_certificate_type",
            "generated",
            "matters",
            "template_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_template_url(self, requirement):
        if not requirement.template_file:
            return None
        url = reverse("material_template", args=[requirement.stage.code, requirement.kind])
        return self.context["request"].build_absolute_uri(url)


class FormFieldSerializer(serializers.ModelSerializer):
    choices = serializers.ListField(
        source="choice_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = FormField
        fields = [
            "key",
            "label",
            "field_type",
            "required",
            "help_text",
            "choices",
            "regex",
            "regex_message",
            "min_value",
            "max_value",
            "section",
            "project_attribute",
        ]


class GuideSerializer(serializers.ModelSerializer):
    process = serializers.ListField(
        source="process_steps", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Guide
        fields = [
            "legal_basis",
            "conditions",
            "process",
            "fees",
            "window_address",
            "office_hours",
            "phone",
            "complaint_phone",
            "promise",
            "updated_at",
        ]


class StageSerializer(serializers.ModelSerializer):
    lead_department = CodeNameSerializer()
    prerequisites = CodeNameSerializer(many=True)
    project_types = CodeNameSerializer(many=True)
    guide = GuideSerializer(allow_null=True)
    guide_url = serializers.SerializerMethodField()
    situations = SituationSerializer(many=True)
    matters = MatterSerializer(many=True)
    materials = MaterialRequirementSerializer(many=True)
    form_fields = FormFieldSerializer(many=True)

    class Meta:
        model = Stage
        fields = [
            "code",
            "number",
            "name",
            "description",
            "lead_department",
            "time_limit_working_days",
            "is_construction",
            "prerequisites",
            "project_types",
            "guide_url",
            "guide",
            "situations",
            "matters",
            "materials",
            "form_fields",
        ]
        read_only_fields = fields

    def get_guide_url(self, stage) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("guide_detail", args=[stage.code])
        )
