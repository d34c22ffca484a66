"""Applications: a summary for lists; for one application its answers, form
values, materials, parallel review tasks, timeline and certificates."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals import services
from approvals.models import (
    Application,
    ApplicationState,
    Certificate,
    Material,
    ReviewTask,
    TransitionLog,
)

from .common import CodeNameSerializer


class ApplicationProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ApplicationTaskSerializer(serializers.ModelSerializer):
    matter = CodeNameSerializer()
    department = CodeNameSerializer()
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = ReviewTask
        fields = [
            "id",
            "matter",
            "department",
            "mandatory",
            "state",
            "state_label",
            "due_on",
            "decided_at",
            "opinion",
        ]
        read_only_fields = fields


class ApplicationSummarySerializer(serializers.ModelSerializer):
    project = ApplicationProjectSerializer(read_only=True)
    stage = CodeNameSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    tasks = ApplicationTaskSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "project",
            "stage",
            "state",
            "state_label",
            "created_at",
            "submitted_at",
            "accepted_at",
            "decided_at",
            "due_on",
            "tasks",
        ]
        read_only_fields = fields


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = [
            "id",
            "kind",
            "label",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
        ]
        read_only_fields = fields


class RequiredMaterialSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    mandatory = serializers.BooleanField()
    key = serializers.BooleanField()
    generated = serializers.BooleanField()
    extensions = serializers.ListField(child=serializers.CharField())
    max_size_mb = serializers.IntegerField()
    satisfied_by_certificate = serializers.BooleanField()
    uploaded = serializers.IntegerField(help_text=_("已上传的文件数。"))


class TimelineEntrySerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    transition_label = serializers.CharField()
    from_label = serializers.SerializerMethodField()
    to_label = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()

    class Meta:
        model = TransitionLog
        fields = [
            "subject",
            "object_id",
            "transition",
            "transition_label",
            "from_state",
            "from_label",
            "to_state",
            "to_label",
            "actor",
            "comment",
            "created_at",
        ]
        read_only_fields = fields

    def get_subject(self, entry) -> str:
        return "review_task" if entry.subject_type == "approvals.reviewtask" else "application"

    def get_from_label(self, entry) -> str:
        return str(entry.state_labels[0])

    def get_to_label(self, entry) -> str:
        return str(entry.state_labels[1])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, entry):
        """The person's display name; null when the system acted."""
        return entry.actor.display_name if entry.actor else None


class ApplicationCertificateSerializer(serializers.ModelSerializer):
    certificate_type = CodeNameSerializer()
    rendered = serializers.BooleanField(source="is_rendered")

    class Meta:
        model = Certificate
        fields = ["id", "number", "certificate_type", "issued_on", "rendered"]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    stage_version = serializers.IntegerField(source="stage_version.number", read_only=True)
    situation_answers = serializers.DictField(child=serializers.BooleanField(), read_only=True)
    form_data = serializers.DictField(read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)
    required_materials = serializers.SerializerMethodField()
    blocking_problems = serializers.SerializerMethodField()
    timeline = TimelineEntrySerializer(many=True, read_only=True)
    certificates = ApplicationCertificateSerializer(many=True, read_only=True)

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            "stage_version",
            "situation_answers",
            "form_data",
            "materials",
            "required_materials",
            "blocking_problems",
            "timeline",
            "certificates",
        ]
        read_only_fields = fields

    @extend_schema_field(RequiredMaterialSerializer(many=True))
    def get_required_materials(self, application):
        """The materials the answers make applicable, and how each is met."""
        slots = services.material_slots(application, list(application.materials.all()))
        return [
            {
                **requirement,
                "satisfied_by_certificate": from_certificate,
                "uploaded": len(files),
            }
            for requirement, files, from_certificate in slots
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_blocking_problems(self, application):
        """What still blocks submission (drafts only; empty once submitted)."""
        if application.state != ApplicationState.DRAFT:
            return []
        return [str(problem) for problem in services.problems_before_submission(application)]


class MaterialUploadSerializer(serializers.Serializer):
    kind = serializers.SlugField(help_text=_("材料种类，见申请的 required_materials[].kind。"))
    file = serializers.FileField()


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DeclarationSerializer(serializers.Serializer):
    declaration = serializers.BooleanField(
        required=False,
        default=False,
        help_text="申请人确认申请承诺书（如实申报、承担相应法律责任）。",
    )


class ApplicationFilterSerializer(serializers.Serializer):
    """The list's filters (query parameters)."""

    state = serializers.ChoiceField(
        choices=ApplicationState.choices, required=False, help_text=_("按状态筛选")
    )
    stage = serializers.SlugField(required=False, help_text=_("按阶段编码筛选"))
    project = serializers.IntegerField(min_value=1, required=False, help_text=_("按项目编号筛选"))
