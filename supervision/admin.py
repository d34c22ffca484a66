"""Admin: who receives reports (editable); reports and escalations are
records, read-only here."""

from django.contrib import admin

from .models import Escalation, Report, ReportRecipient


@admin.register(ReportRecipient)
class ReportRecipientAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "jurisdiction", "daily", "weekly", "ten_day", "active"]
    list_filter = ["jurisdiction", "active"]
    search_fields = ["name", "email"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = [
        "period_start",
        "period_end",
        "kind",
        "jurisdiction",
        "has_data",
        "generated_at",
        "emailed_at",
    ]
    list_filter = ["kind", "jurisdiction", "has_data"]
    date_hierarchy = "period_end"


@admin.register(Escalation)
class EscalationAdmin(ReadOnly):
    list_display = ["task", "new_deadline", "created_by", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    raw_id_fields = ["task", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False
