"""Creating and revoking API tokens in Django admin.

The secret is shown once, in the message after creation; afterwards only
its digest exists. Only superusers issue tokens, since a token acts as its
owner. An issued token cannot be edited into more scopes or a longer life:
revoke it ("撤销") and issue a new one."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken, Scope


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("权限范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiToken
        fields = ["owner", "name", "scopes", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "owner",
        "prefix",
        "scope_list",
        "status",
        "expires_at",
        "last_used_at",
        "created_at",
    ]
    list_select_related = ["owner"]
    search_fields = ["name", "prefix", "owner__username", "owner__last_name"]
    autocomplete_fields = ["owner"]
    actions = ["revoke"]
    readonly_fields = [
        "prefix",
        "scope_list",
        "status",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        # A token acts as its owner: issuing one for anybody is a
        # superuser's power, whatever model permissions say.
        return request.user.is_superuser

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ApiTokenForm.Meta.fields
        return [
            "name",
            "owner",
            "prefix",
            "scope_list",
            "status",
            "expires_at",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.readonly_fields, "owner", "expires_at"]

    def get_actions(self, request):
        # Revoking, not deleting, keeps who had access and when.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.scopes = sorted(form.cleaned_data["scopes"])
        obj.created_by = request.user
        text = obj.issue_secret()
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            _("令牌“%(name)s”已创建。请立即复制并妥善保存，离开本页后将无法再次查看：%(token)s")
            % {"name": obj.name, "token": text},
        )

    @admin.action(description=_("撤销"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("已撤销 %(count)d 个令牌。", "已撤销 %(count)d 个令牌。", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("权限范围"))
    def scope_list(self, obj):
        labels = dict(Scope.choices)
        return "、".join(str(labels.get(scope, scope)) for scope in obj.scopes)

    @admin.display(description=_("状态"))
    def status(self, obj):
        if obj.is_revoked:
            return _("已撤销")
        if obj.is_expired:
            return _("已过期")
        return _("有效")
