"""Projects of the applicant's enterprise: the facts filled once and reused
by every stage."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from approvals.models import Application, Project
from portal.models import Enterprise
from stages.models import Jurisdiction, ProjectType, Stage


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code"]


class ProjectApplicationSerializer(serializers.ModelSerializer):
    stage = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "number", "stage", "state", "state_label", "due_on"]


class ProjectSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(
        slug_field="code", queryset=Jurisdiction.objects.all()
    )
    flow_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ProjectType.objects.all(), allow_null=True, required=False
    )
    enterprise = EnterpriseSerializer(read_only=True)
    applications = ProjectApplicationSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "jurisdiction",
            "address",
            "flow_type",
            "investment_source",
            "approval_type",
            "nature",
            "total_investment",
            "land_area",
            "building_area",
            "scale",
            "planned_start",
            "planned_end",
            "enterprise",
            "created_at",
            "applications",
        ]
        read_only_fields = ["id", "enterprise", "created_at", "applications"]

    def validate(self, attrs):
        try:
            Project(**attrs).clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        enterprise_id = self.context["request"].user.enterprise_id
        if Project.objects.filter(enterprise_id=enterprise_id, code=attrs.get("code", "")).exists():
            raise serializers.ValidationError(
                {"code": [_("本单位已登记投资项目统一代码相同（或同为空）的项目。")]}
            )
        return attrs


class StartApplicationSerializer(serializers.Serializer):
    stage = serializers.SlugRelatedField(
        slug_field="code", queryset=Stage.objects.filter(active=True)
    )
