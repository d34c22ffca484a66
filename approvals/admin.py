"""Admin views of the work, read-mostly: state changes go through services
and the pages, never through admin edits, so the FSM fields are read-only."""

from django.contrib import admin

from .models import (
    Application,
    Certificate,
    CertificateNumberSeries,
    Material,
    Notification,
    Project,
    ReviewTask,
    TransitionLog,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "enterprise", "jurisdiction", "created_at"]
    list_filter = ["jurisdiction"]
    search_fields = ["name", "code", "enterprise__name", "enterprise__credit_code"]
    raw_id_fields = ["enterprise", "created_by"]


class ReviewTaskInline(admin.TabularInline):
    model = ReviewTask
    extra = 0
    can_delete = False
    fields = ["matter", "department", "state", "reviewer", "due_on", "decided_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["number", "project", "stage", "state", "submitted_at", "due_on"]
    list_filter = ["state", "stage"]
    search_fields = ["number", "project__name", "project__enterprise__name"]
    readonly_fields = [
        "state",
        "number",
        "submitted_at",
        "accepted_at",
        "accepted_by",
        "decided_at",
        "due_on",
    ]
    raw_id_fields = ["project", "created_by"]
    inlines = [ReviewTaskInline]


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    list_display = ["matter", "application", "department", "state", "due_on"]
    list_filter = ["state", "department"]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "application",
        "subject_type",
        "transition",
        "from_state",
        "to_state",
        "actor",
    ]
    list_filter = ["transition", "subject_type"]
    search_fields = ["application__number"]


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["label", "application", "original_name", "content_type", "size", "uploaded_at"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "certificate_type", "application", "issued_on", "rendered_at"]
    search_fields = ["number"]


@admin.register(CertificateNumberSeries)
class CertificateNumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ["certificate_type", "jurisdiction", "year", "last_number"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "event", "created_at", "emailed_at", "attempts"]
    list_filter = ["event"]
