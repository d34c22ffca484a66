"""Admin: subscribers (the secret shown once, masked afterwards; only a
superuser may allow an internal address) and the
delivery log with its "retry" action. Deliveries are read-only: they change
only by being delivered or retried."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import outbox
from .events import event_choices, event_label
from .models import Subscriber, WebhookDelivery, new_secret, validate_endpoint


class SubscriberForm(forms.ModelForm):
    url = forms.URLField(
        label=_("接收地址"),
        max_length=500,
        assume_scheme="https",
        validators=[validate_endpoint],
        help_text=_("接收推送的 HTTPS 地址；每次推送以签名密钥签名。"),
    )
    events = forms.MultipleChoiceField(
        label=_("订阅事件"),
        choices=event_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Subscriber
        fields = ["name", "url", "events", "active", "allow_internal", "owner"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    form = SubscriberForm
    list_display = ["name", "url", "active", "event_count", "owner", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    raw_id_fields = ["owner"]
    readonly_fields = ["masked_secret"]
    actions = ["rotate_secret"]

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "events", "active", "allow_internal", "owner"]
        return [*fields, "masked_secret"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        """Reaching internal addresses is a superuser's decision (addresses.py)."""
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else [*readonly, "allow_internal"]

    @admin.display(description=_("签名密钥"))
    def masked_secret(self, subscriber):
        return subscriber.masked_secret

    @admin.display(description=_("事件数"))
    def event_count(self, subscriber):
        return len(subscriber.events)

    def response_add(self, request, obj, post_url_continue=None):
        return self._show_secrets(request, [obj], _("订阅已创建"))

    @admin.action(description=_("更换签名密钥"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        with transaction.atomic():
            subscribers = list(queryset.select_for_update())
            for subscriber in subscribers:
                subscriber.secret = new_secret()
                subscriber.save(update_fields=["secret"])
        return self._show_secrets(request, subscribers, _("签名密钥已更换"))

    def _show_secrets(self, request, subscribers, title):
        """The only page that ever shows a secret in full; it is not stored
        anywhere else (no message cookie) and not cached."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subscribers": subscribers,
        }
        response = TemplateResponse(request, "webhooks/admin/secret.html", context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "subscriber",
        "event_name",
        "status",
        "attempts",
        "last_response_code",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event", "subscriber", "created_at"]
    list_select_related = ["subscriber"]
    search_fields = ["=id", "event", "payload__application_number", "payload__project_code"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    @admin.display(description=_("事件"), ordering="event")
    def event_name(self, delivery):
        return event_label(delivery.event)

    @admin.action(description=_("重新推送失败或滞留的记录"), permissions=["retry"])
    def retry(self, request, queryset):
        count = outbox.retry(queryset)
        self.message_user(request, _("已重新排队 %(n)d 条推送。") % {"n": count})

    def has_retry_permission(self, request):
        return request.user.has_perm("webhooks.change_webhookdelivery")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
