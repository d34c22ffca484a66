"""Admin views of the work, read-mostly: state changes go through services
and the pages, never through admin edits, so the FSM fields are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

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
from .models.notification import NotificationDelivery
from .services.certificates import amend_certificate, revoke_certificate
from .services.errors import ServiceError
from .services.notifications import retry_deliveries


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
    """Certificates are issued by the workflow, never typed in. Admin may
    revoke one (with a reason) or amend it (a new version supersedes it);
    both go through approvals.services.certificates."""

    list_display = [
        "number",
        "certificate_type",
        "state",
        "version",
        "application",
        "issued_on",
        "rendered_at",
        "handed_over",
    ]
    list_filter = ["state", "certificate_type"]
    list_select_related = ["certificate_type", "application__delivery"]
    search_fields = ["number", "application__number", "application__project__name"]
    change_form_template = "certificates/admin/change_form.html"

    @admin.display(description=_("送达"))
    def handed_over(self, certificate):
        """The window's hand-out or mail record that included this version."""
        delivery = getattr(certificate.application, "delivery", None)
        if delivery is None or not delivery.covers(certificate):
            return "—"
        if delivery.method == delivery.Method.MAIL:
            return f"{delivery.get_method_display()} {delivery.get_carrier_display()} " + (
                f"{delivery.tracking_number}（{delivery.delivered_at:%Y-%m-%d}）"
            )
        return f"{delivery.get_method_display()}（{delivery.delivered_at:%Y-%m-%d}）"

    class RevokeForm(forms.Form):
        reason = forms.CharField(
            label=_("撤销理由"),
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("将显示在公开核验页上，请勿填写个人身份证号、电话等个人信息。"),
        )

    class AmendForm(forms.Form):
        """One field per printed line of the certificate, then the reason."""

        def __init__(self, *args, certificate, **kwargs):
            super().__init__(*args, **kwargs)
            for index, field in enumerate(certificate.printed.get("fields", [])):
                self.fields[f"field_{index}"] = forms.CharField(
                    label=field["label"],
                    required=False,
                    initial=certificate.printed_value(field["source"]),
                    widget=forms.Textarea(attrs={"rows": 1, "cols": 60}),
                )
            self.sources = [field["source"] for field in certificate.printed.get("fields", [])]
            self.fields["reason"] = forms.CharField(
                label=_("变更事由"),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("将显示在新证照和公开核验页上。"),
            )

        def changes(self, certificate):
            changed = {}
            for index, source in enumerate(self.sources):
                value = self.cleaned_data[f"field_{index}"].strip()
                if value != certificate.printed_value(source).strip():
                    changed[source] = value
            return changed

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revoke/",
                wrap(self.revoke_view),
                name="approvals_certificate_revoke",
            ),
            path(
                "<path:object_id>/amend/",
                wrap(self.amend_view),
                name="approvals_certificate_amend",
            ),
            *super().get_urls(),
        ]

    def revoke_view(self, request, object_id):
        certificate = self._certificate(request, object_id, "approvals.revoke_certificate")
        form = self.RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                revoke_certificate(certificate.pk, request.user, form.cleaned_data["reason"])
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("证照 %(n)s 已撤销。") % {"n": certificate.number})
                return redirect("admin:approvals_certificate_change", certificate.pk)
        return self._action_page(request, certificate, form, _("撤销电子证照"))

    def amend_view(self, request, object_id):
        certificate = self._certificate(request, object_id, "approvals.amend_certificate")
        form = self.AmendForm(request.POST or None, certificate=certificate)
        if request.method == "POST" and form.is_valid():
            try:
                new = amend_certificate(
                    certificate.pk,
                    request.user,
                    form.changes(certificate),
                    form.cleaned_data["reason"],
                )
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("已签发变更后的证照 %(new)s，原证 %(old)s 已被替代。")
                    % {"new": new.number, "old": certificate.number},
                )
                return redirect("admin:approvals_certificate_change", new.pk)
        return self._action_page(request, certificate, form, _("变更电子证照"))

    def _certificate(self, request, object_id, permission):
        certificate = self.get_object(request, object_id)
        if certificate is None:
            raise Http404
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return certificate

    def _action_page(self, request, certificate, form, title):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": certificate,
            "title": title,
            "form": form,
        }
        return TemplateResponse(request, "certificates/admin/action.html", context)


@admin.register(CertificateNumberSeries)
class CertificateNumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ["certificate_type", "jurisdiction", "year", "last_number"]


class NotificationDeliveryInline(admin.TabularInline):
    model = NotificationDelivery
    extra = 0
    can_delete = False
    fields = [
        "channel",
        "status",
        "address",
        "attempts",
        "last_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RetryDeliveries:
    """The "retry" action: failed (or stuck) channels back to pending and
    queued again after commit; sent ones are never re-sent."""

    @admin.action(description=_("重新发送失败或滞留的渠道"), permissions=["retry"])
    def retry(self, request, queryset):
        count = retry_deliveries(self.deliveries_of(queryset))
        self.message_user(request, _("已重新排队 %(n)d 个投递渠道。") % {"n": count})

    def has_retry_permission(self, request):
        return request.user.has_perm("approvals.change_notificationdelivery")


@admin.register(Notification)
class NotificationAdmin(RetryDeliveries, ReadOnlyAdmin):
    """The in-app row and, inline, each outside channel's status."""

    list_display = ["title", "recipient", "event", "created_at", "channels", "delivered_at"]
    list_filter = ["event", "deliveries__status", ("delivered_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "application__number"]
    inlines = [NotificationDeliveryInline]
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("deliveries")

    @admin.display(description=_("渠道状态"))
    def channels(self, notification):
        return "；".join(
            f"{d.get_channel_display()}：{d.get_status_display()}"
            for d in notification.deliveries.all()
        )

    def deliveries_of(self, queryset):
        return NotificationDelivery.objects.filter(notification__in=queryset)


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(RetryDeliveries, ReadOnlyAdmin):
    list_display = [
        "notification",
        "channel",
        "status",
        "address",
        "attempts",
        "last_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "channel", "notification__event"]
    list_select_related = ["notification"]
    search_fields = ["address", "notification__title"]
    actions = ["retry"]

    def deliveries_of(self, queryset):
        return queryset


from . import admin_joint  # noqa: E402, F401  (joint sessions and intermediaries)
