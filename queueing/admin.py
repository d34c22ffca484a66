"""Administrators configure service types and windows; tickets and their
events are evidence, so the admin shows them read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ServiceType, Ticket, TicketEvent, Window


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "code", "jurisdiction", "stage", "active", "order"]
    list_display_links = ["prefix", "name"]
    list_filter = ["jurisdiction", "active"]
    list_editable = ["active", "order"]
    search_fields = ["name", "code"]
    list_select_related = ["jurisdiction", "stage"]


class WindowForm(forms.ModelForm):
    class Meta:
        model = Window
        fields = ["jurisdiction", "number", "name", "service_types", "active"]

    def clean(self):
        cleaned = super().clean()
        jurisdiction = cleaned.get("jurisdiction")
        foreign = [
            str(service_type)
            for service_type in cleaned.get("service_types") or []
            if jurisdiction and service_type.jurisdiction_id != jurisdiction.pk
        ]
        if foreign:
            self.add_error(
                "service_types",
                _("以下业务不属于本窗口所在区域：%(names)s") % {"names": "、".join(foreign)},
            )
        return cleaned


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    form = WindowForm
    list_display = ["name", "number", "jurisdiction", "active"]
    list_filter = ["jurisdiction", "active"]
    filter_horizontal = ["service_types"]
    list_select_related = ["jurisdiction"]


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TicketEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TicketEvent
    fields = ["created_at", "action", "from_state", "to_state", "actor", "window"]
    readonly_fields = fields
    extra = 0


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "day",
        "service_type",
        "state",
        "taken_at",
        "called_at",
        "window",
        "clerk",
        "finished_at",
    ]
    list_filter = ["day", "state", "jurisdiction", "service_type"]
    search_fields = ["number"]
    date_hierarchy = "day"
    list_select_related = ["service_type", "window", "clerk"]
    inlines = [TicketEventInline]
