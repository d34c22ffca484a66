"""Admin for the configuration: stages with their matters and form fields
inline, departments, jurisdictions, staff postings and calendar overrides."""

from django.contrib import admin

from .models import (
    CalendarDay,
    CertificateType,
    Department,
    FormField,
    Jurisdiction,
    Matter,
    StaffMembership,
    Stage,
)


class MatterInline(admin.TabularInline):
    model = Matter
    extra = 0
    autocomplete_fields = ["department"]


class FormFieldInline(admin.StackedInline):
    model = FormField
    extra = 0


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "name",
        "code",
        "lead_department",
        "time_limit_working_days",
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    inlines = [MatterInline, FormFieldInline]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "stage",
        "department",
        "time_limit_working_days",
        "mandatory",
        "certificate_type",
    ]
    list_filter = ["stage", "department", "mandatory"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "jurisdiction", "department"]
    list_filter = ["jurisdiction", "department"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "department"]


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "number_prefix"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
