"""Review tasks as a department's system sees them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.models import Application, ReviewTask, ReviewTaskState

from .common import CodeNameSerializer
from .projects import EnterpriseSerializer


class TaskApplicationSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.name")
    enterprise = EnterpriseSerializer(source="project.enterprise")
    stage = CodeNameSerializer()

    class Meta:
        model = Application
        fields = ["id", "number", "project", "enterprise", "stage", "due_on"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    application = TaskApplicationSerializer()
    matter = CodeNameSerializer()
    department = CodeNameSerializer()
    state_label = serializers.CharField(source="get_state_display")
    reviewer = serializers.SerializerMethodField()

    class Meta:
        model = ReviewTask
        fields = [
            "id",
            "application",
            "matter",
            "department",
            "mandatory",
            "state",
            "state_label",
            "due_on",
            "reviewer",
            "opinion",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reviewer(self, task):
        return task.reviewer.display_name if task.reviewer_id else None


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("审查意见；不通过时必须写明理由和依据。"),
    )


class RejectionSerializer(serializers.Serializer):
    opinion = serializers.CharField(help_text=_("不通过的理由和依据（必填）。"))


OPEN = "open"


class TaskFilterSerializer(serializers.Serializer):
    """The list's filter (query parameter)."""

    state = serializers.ChoiceField(
        choices=[(OPEN, _("待签收和审查中")), *ReviewTaskState.choices],
        required=False,
        help_text=_("按状态筛选；open 表示待签收和审查中（默认全部）"),
    )
