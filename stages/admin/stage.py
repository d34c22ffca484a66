"""The stage page: one stage edited with its situations, matters,
materials, form fields and guide inline; duplicated, previewed, exported and
imported (the file format and the copy live in stages.transfer); and the
frozen versions, read-only."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..configuration import snapshot
from ..forms import SituationsForm, UnifiedForm
from ..models import (
    FormField,
    Guide,
    MaterialRequirement,
    Matter,
    Situation,
    Stage,
    StageVersion,
)
from ..transfer import TransferError, duplicate_stage, export_stage, import_stage

IMPORT_MAX_BYTES = 5 * 1024 * 1024


def guide_url(stage):
    """The public 办事指南 page (stages.urls, built by the guides work)."""
    return reverse("guide_detail", args=[stage.code])


def _edited_stage_id(request):
    """The stage whose change page is being built, None on the add page."""
    match = request.resolver_match
    return match.kwargs.get("object_id") if match else None


# --- Inlines of the stage page ---------------------------------------------


class StageRowsFormSet(BaseInlineFormSet):
    """Rules across the rows of one stage that no single row can check: a
    natural key typed twice, or taken from a row that keeps it in the database
    (saving would hit the unique constraint and fail with a 500)."""

    natural_key = "code"

    def clean(self):
        key = self.natural_key
        label = self.model._meta.get_field(key).verbose_name
        held = {}
        if self.instance.pk:
            held = dict(self.model.objects.filter(stage=self.instance).values_list(key, "pk"))
        seen = set()
        for form in self.forms:
            if self._should_delete_form(form) or key in form.errors:
                continue
            value = form.cleaned_data.get(key)
            if not value:
                continue
            if value in seen:
                form.add_error(
                    key,
                    _("%(label)s“%(value)s”在本阶段出现了两次，请换一个。")
                    % {"label": label, "value": value},
                )
            elif held.get(value, form.instance.pk) != form.instance.pk:
                form.add_error(
                    key,
                    _("%(label)s“%(value)s”已被本阶段的另一行使用；如需互换，请分两次保存。")
                    % {"label": label, "value": value},
                )
            seen.add(value)
        super().clean()


class FormFieldFormSet(StageRowsFormSet):
    natural_key = "key"


class MaterialFormSet(StageRowsFormSet):
    natural_key = "kind"


class MatterInlineForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("stage")
        if stage is not None and stage.time_limit_working_days is None:
            # The stage's own limit is missing or invalid and reported on the
            # stage form; Matter.clean() compares against it only once valid.
            del cleaned["stage"]
        return cleaned


class StageRowInline:
    """Limits situation / matter choices to the stage being edited (none on
    the add page: create the stage first, then link rows to its situations).
    The choices are listed once per page, not once per row."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            # Per-row edit/delete/view pop-ups crowd the table off the screen;
            # situations and matters are added in their own inlines, not pop-ups.
            widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
            own_rows = db_field.name in {"situation", "matters"}
            widget.can_add_related = widget.can_add_related and not own_rows
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "situation":
            stage_id = _edited_stage_id(request)
            kwargs["queryset"] = Situation.objects.filter(stage_id=stage_id)
            kwargs["widget"] = forms.Select(attrs={"style": "max-width: 14em"})
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.choices = list(field.choices)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "matters":
            stage_id = _edited_stage_id(request)
            kwargs["queryset"] = Matter.objects.filter(stage_id=stage_id)
            kwargs["widget"] = forms.CheckboxSelectMultiple
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.choices = list(field.choices)
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SituationInline(admin.TabularInline):
    model = Situation
    formset = StageRowsFormSet
    fields = ["code", "question", "help_text", "order"]
    extra = 0


class MatterInline(StageRowInline, admin.TabularInline):
    model = Matter
    form = MatterInlineForm
    formset = StageRowsFormSet
    fields = ["code", "name", "department", "time_limit_working_days", "mandatory"]
    fields += ["situation", "certificate_type", "joint_session", "order"]
    autocomplete_fields = ["department", "certificate_type"]
    # Narrower inputs so the nine columns fit beside the admin's side bar.
    formfield_overrides = {
        models.SlugField: {"widget": forms.TextInput(attrs={"size": 16})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 22})},
    }
    extra = 0


class MaterialInline(StageRowInline, admin.StackedInline):
    model = MaterialRequirement
    formset = MaterialFormSet
    fieldsets = [
        (None, {"fields": [("kind", "name"), "description", ("mandatory", "key", "order")]}),
        (_("何时需要"), {"fields": ["matters", "situation"]}),
        (
            _("文件"),
            {
                "fields": [
                    ("accepted_types", "max_size_mb"),
                    "template_file",
                    ("from_certificate_type", "generated"),
                ]
            },
        ),
    ]
    autocomplete_fields = ["from_certificate_type"]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2})}}
    classes = ["collapse"]
    extra = 0

    def get_queryset(self, request):
        # One query for every row's ticked matters instead of one per row.
        return super().get_queryset(request).prefetch_related("matters")


class FormFieldInline(admin.StackedInline):
    model = FormField
    formset = FormFieldFormSet
    fieldsets = [
        (None, {"fields": [("key", "label"), ("field_type", "required"), ("section", "order")]}),
        (None, {"fields": ["help_text", "project_attribute"]}),
        (
            _("校验"),
            {
                "fields": ["choices", ("regex", "regex_message"), ("min_value", "max_value")],
                "classes": ["collapse"],
            },
        ),
    ]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 4})}}
    classes = ["collapse"]
    extra = 0


class GuideInline(admin.StackedInline):
    model = Guide
    fields = ["legal_basis", "conditions", "process", "fees", ("window_address", "office_hours")]
    fields += [("phone", "complaint_phone"), "promise"]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 5})}}


# --- The stage page and its tools -------------------------------------------


class StageImportForm(forms.Form):
    file = forms.FileField(
        label=_("阶段文件"),
        help_text=_("从本系统或另一套系统“导出”得到的 .json 文件。同编码的阶段将被更新。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("文件过大（上限 5 MB）。"))
        try:
            self.document = json.loads(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ValidationError(_("文件不是 UTF-8 编码的文本。")) from error
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("不是有效的 JSON：第 %(line)d 行第 %(column)d 列，%(message)s。")
                % {"line": error.lineno, "column": error.colno, "message": error.msg}
            ) from error
        return upload


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "code", "lead_department", "time_limit_working_days"]
    list_display += ["matter_count", "is_construction", "active", "guide_link"]
    list_display_links = ["name"]
    list_filter = ["active", "is_construction", "project_types", "lead_department"]
    search_fields = ["name", "code", "description"]
    ordering = ["order", "number"]
    autocomplete_fields = ["lead_department", "prerequisites", "project_types"]
    fieldsets = [
        (None, {"fields": [("code", "number"), "name", "description"]}),
        (_("办理"), {"fields": ["lead_department", "time_limit_working_days"]}),
        (_("适用范围"), {"fields": ["prerequisites", "project_types", "is_construction"]}),
        (_("显示"), {"fields": [("order", "active")]}),
    ]
    inlines = [SituationInline, MatterInline, MaterialInline, FormFieldInline, GuideInline]
    actions = ["duplicate", "activate", "deactivate"]
    save_on_top = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("lead_department")
        return queryset.annotate(matter_total=Count("matters", distinct=True))

    @admin.display(description=_("事项数"), ordering="matter_total")
    def matter_count(self, stage):
        return stage.matter_total

    @admin.display(description=_("办事指南"))
    def guide_link(self, stage):
        return format_html('<a href="{}" target="_blank">{}</a>', guide_url(stage), _("查看"))

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{prefix}_import"),
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{prefix}_preview"),
            path("<path:object_id>/export/", wrap(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["guide_url"] = guide_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _stage_or_404(self, request, object_id):
        stage = self.get_object(request, object_id)
        if stage is None:
            raise Http404(_("没有这个阶段。"))
        if not self.has_view_permission(request, stage):
            raise PermissionDenied
        return stage

    def preview_view(self, request, object_id):
        stage = self._stage_or_404(request, object_id)
        content = snapshot(stage)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": stage,
            "title": _("表单预览：%(stage)s") % {"stage": stage.name},
            "form": UnifiedForm(field_specs=content["form_fields"]),
            "situations_form": SituationsForm(situations=content["situations"]),
            "guide_url": guide_url(stage),
        }
        return TemplateResponse(request, "admin/stages/stage/preview.html", context)

    def export_view(self, request, object_id):
        stage = self._stage_or_404(request, object_id)
        body = json.dumps(export_stage(stage), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"stage-{stage.code}-{timezone.localdate():%Y%m%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = StageImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                result = import_stage(form.document)
            except TransferError as failure:
                errors = failure.errors
            else:
                return self._imported(request, result)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("导入阶段"),
            "form": form,
            "import_errors": errors,
            "max_megabytes": IMPORT_MAX_BYTES // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/stages/stage/import.html", context)

    def _imported(self, request, result):
        stage = result.stage
        if result.created:
            self.log_addition(request, stage, [{"added": {}}])
            message = _("已从文件新建阶段“%(stage)s”。")
        else:
            self.log_change(request, stage, _("从文件导入更新"))
            message = _("已从文件更新阶段“%(stage)s”。")
        messages.success(request, message % {"stage": stage})
        if result.created_references:
            messages.info(
                request,
                _("本系统原来没有、已按文件新建：%(rows)s")
                % {"rows": "；".join(result.created_references)},
            )
        for warning in result.warnings:
            messages.warning(request, warning)
        return redirect("admin:stages_stage_change", stage.pk)

    @admin.action(
        description=_("复制所选阶段（含情形、事项、材料、表单、指南）"), permissions=["add"]
    )
    def duplicate(self, request, queryset):
        for stage in queryset:
            try:
                result = duplicate_stage(stage)
            except TransferError as failure:
                self.message_user(
                    request,
                    _("“%(stage)s”未能复制：%(errors)s")
                    % {"stage": stage, "errors": "；".join(failure.errors)},
                    messages.ERROR,
                )
                continue
            copy = result.stage
            self.log_addition(request, copy, [{"added": {}}])
            self.message_user(
                request,
                format_html(
                    '已复制“{}”为 <a href="{}">{}</a>（编码 {}，未启用）。',
                    stage,
                    reverse("admin:stages_stage_change", args=[copy.pk]),
                    copy,
                    copy.code,
                ),
                messages.SUCCESS,
            )

    @admin.action(description=_("启用所选阶段"), permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.update(active=True)
        self.message_user(request, _("已启用 %(count)d 个阶段。") % {"count": count})

    @admin.action(description=_("停用所选阶段"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.update(active=False)
        self.message_user(request, _("已停用 %(count)d 个阶段。") % {"count": count})


@admin.register(StageVersion)
class StageVersionAdmin(admin.ModelAdmin):
    """Frozen configurations are evidence for the applications that use them."""

    list_display = ["stage", "number", "created_at", "short_digest"]
    list_filter = ["stage"]
    list_select_related = ["stage"]
    date_hierarchy = "created_at"
    fields = ["stage", "number", "created_at", "digest", "pretty_content"]
    readonly_fields = fields

    @admin.display(description=_("内容摘要"))
    def short_digest(self, version):
        return version.digest[:12]

    @admin.display(description=_("配置内容"))
    def pretty_content(self, version):
        return format_html(
            "<pre>{}</pre>", json.dumps(version.content, ensure_ascii=False, indent=2)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
