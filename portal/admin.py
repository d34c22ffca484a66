"""Admin for users and enterprises."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import CreditRecord, Enterprise, Invitation, User


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "legal_representative", "contact", "phone"]
    search_fields = ["name", "credit_code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "enterprise", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "last_name", "first_name", "email", "enterprise__name"]
    autocomplete_fields = ["enterprise"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("角色与单位"), {"fields": ("role", "enterprise", "is_enterprise_admin", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("角色与单位"), {"fields": ("role", "enterprise")}),
    )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "enterprise", "invited_by", "created_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "enterprise__name"]
    raw_id_fields = ["enterprise", "invited_by", "accepted_by"]


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "status", "reason", "updated_at"]
    list_filter = ["status"]
    search_fields = ["credit_code", "reason"]
