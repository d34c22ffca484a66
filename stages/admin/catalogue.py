"""Admin for the vocabularies the stages use, each row also listed on its
own: matters, situations, materials, form fields, project types, certificate
types (with their printed fields and preview), departments, jurisdictions and
staff memberships."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import (
    CertificateType,
    Department,
    FormField,
    Jurisdiction,
    MaterialRequirement,
    Matter,
    ProjectType,
    Situation,
    StaffMembership,
)

IMPORT_MAX_BYTES = 5 * 1024 * 1024


# --- The rows, each also listed on its own ------------------------------------


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "stage", "department", "time_limit_working_days"]
    list_display += ["mandatory", "joint_session", "certificate_type"]
    list_filter = ["stage", "mandatory", "joint_session", "department"]
    list_select_related = ["stage", "department", "certificate_type"]
    search_fields = ["name", "code", "department__name"]
    autocomplete_fields = ["department", "certificate_type"]


@admin.register(Situation)
class SituationAdmin(admin.ModelAdmin):
    list_display = ["question", "code", "stage", "order"]
    list_filter = ["stage"]
    list_select_related = ["stage"]
    search_fields = ["question", "code"]


@admin.register(MaterialRequirement)
class MaterialRequirementAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "stage", "mandatory", "key", "generated", "situation"]
    list_filter = ["stage", "key", "mandatory", "generated"]
    list_select_related = ["stage", "situation"]
    search_fields = ["name", "kind", "description"]
    autocomplete_fields = ["matters", "from_certificate_type"]


@admin.register(FormField)
class FormFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "stage", "field_type", "required", "section", "order"]
    list_filter = ["stage", "field_type", "required"]
    list_select_related = ["stage"]
    search_fields = ["label", "key", "section"]


@admin.register(ProjectType)
class ProjectTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    """证照类型: what a certificate prints and how it looks. Saving test-renders
    the template with sample data (CertificateType.clean); the preview link
    shows that sample as a PDF."""

    list_display = ["name", "code", "number_prefix", "layout", "page_size", "orientation"]
    search_fields = ["name", "code", "number_prefix"]
    readonly_fields = ["issuing_matters", "preview_link"]
    fieldsets = [
        (None, {"fields": ["name", "code", "issuing_matters"]}),
        (_("编号"), {"fields": ["number_prefix", "number_format"]}),
        (_("印制内容"), {"fields": ["statement", "printed_fields"]}),
        (
            _("版式"),
            {"fields": ["layout", "page_size", "orientation", "custom_template", "preview_link"]},
        ),
    ]
    formfield_overrides = {
        models.TextField: {
            "widget": AdminTextareaWidget(attrs={"rows": 6, "style": "font-family: monospace"})
        }
    }

    @admin.display(description=_("出具本证照的事项"))
    def issuing_matters(self, obj):
        matters = obj.matters.select_related("stage") if obj.pk else []
        return "；".join(f"{m.stage.name} · {m.name}" for m in matters) or "—"

    @admin.display(description=_("样张"))
    def preview_link(self, obj):
        if not obj.pk:
            return _("保存后可预览样张。")
        url = reverse("admin:stages_certificatetype_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("用示例数据生成 PDF 样张"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview.pdf",
                wrap(self.preview_view),
                name="stages_certificatetype_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The saved configuration laid out with placeholder values."""
        import segno
        from django.conf import settings
        from weasyprint import HTML

        certificate_type = self.get_object(request, object_id)
        if certificate_type is None:
            raise Http404(_("没有这个证照类型。"))
        if not self.has_view_permission(request, certificate_type):
            raise PermissionDenied
        context = certificate_type.sample_context()
        context["qr"] = segno.make(context["verify_url"], error="m").svg_data_uri(scale=4)
        font = settings.PORTAL_CERTIFICATE_FONT_DIR / "PortalSerifSC-Regular.otf"
        context["font_url"] = font.as_uri()
        html = certificate_type.render_html(context)
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{certificate_type.code}-sample.pdf"'
        return response


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
    list_select_related = ["user", "jurisdiction", "department"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    autocomplete_fields = ["user", "department"]
