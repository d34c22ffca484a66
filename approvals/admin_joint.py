"""Admin for joint sessions (read-only: they change through the pages and
services) and the intermediary registry (edited here by administrators)."""

from django.contrib import admin
from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from .models.intermediary import Intermediary, IntermediaryEngagement, IntermediaryService
from .models.joint import (
    JointMinutes,
    JointOpinion,
    JointParticipant,
    JointRevisionFile,
    JointRound,
    JointSession,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JointParticipantInline(ReadOnlyInline):
    model = JointParticipant
    fields = ["department", "reason", "added_at"]
    readonly_fields = fields


class JointRoundInline(ReadOnlyInline):
    model = JointRound
    fields = [
        "number",
        "scheduled_for",
        "place",
        "result",
        "closed_at",
        "revision_requested_on",
        "revision_submitted_on",
        "paused_working_days",
    ]
    readonly_fields = fields


@admin.register(JointSession)
class JointSessionAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "lead_department", "state", "result", "created_at"]
    list_filter = ["kind", "state", "result"]
    search_fields = ["application__number", "application__project__name"]
    inlines = [JointParticipantInline, JointRoundInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JointOpinion)
class JointOpinionAdmin(admin.ModelAdmin):
    list_display = ["round", "department", "result", "recorded_by", "recorded_at"]
    list_filter = ["result", "department"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JointMinutes)
class JointMinutesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "rendered_at"]
    readonly_fields = ["round", "pdf", "sha256", "created_at", "rendered_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JointRevisionFile)
class JointRevisionFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "round", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IntermediaryServiceInline(admin.TabularInline):
    model = IntermediaryService
    extra = 1
    fields = ["service_type", "qualification", "promised_working_days"]


@admin.register(Intermediary)
class IntermediaryAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "phone", "active", "rating_average", "rating_count"]
    list_filter = ["active", "services__service_type"]
    search_fields = ["name", "credit_code"]
    inlines = [IntermediaryServiceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                rating_average=Avg("engagements__rating"),
                rating_count=Count("engagements__rating"),
            )
        )

    @admin.display(description=_("平均评分"), ordering="rating_average")
    def rating_average(self, obj):
        return f"{obj.rating_average:.1f}" if obj.rating_average else "—"

    @admin.display(description=_("评价数"), ordering="rating_count")
    def rating_count(self, obj):
        return obj.rating_count


@admin.register(IntermediaryEngagement)
class IntermediaryEngagementAdmin(admin.ModelAdmin):
    list_display = [
        "project",
        "service_type",
        "intermediary",
        "started_on",
        "finished_on",
        "working_days",
        "rating",
    ]
    list_filter = ["service_type"]
    search_fields = ["project__name", "intermediary__name"]
    readonly_fields = [
        "project",
        "stage",
        "service_type",
        "need",
        "intermediary",
        "picked_by",
        "picked_at",
        "started_on",
        "finished_on",
        "working_days",
        "cancelled_at",
        "rating",
        "rating_comment",
        "rated_at",
        "rated_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
