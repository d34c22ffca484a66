"""The applicant's pages: projects, applications, the unified form, materials
and submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stages.forms import SituationsForm, UnifiedForm
from stages.models import Stage

from .. import services
from ..forms import (
    DeliveryChoiceForm,
    MaterialForm,
    ProjectForm,
    StartApplicationForm,
    SubmissionForm,
    WithdrawForm,
)
from ..models import Application, Material, Project
from ..services.delegation import request_agent, revoke_delegation
from ..services.project_clock import project_clock
from .helpers import application_context, perform, report_service_error, visible_application


def applicant_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.enterprise_id:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def applicant_or_agent_required(view):
    """Pages an agent (全程代办) uses on delegated projects, like the applicant."""

    def wrapped(request, *args, **kwargs):
        if not (request.user.enterprise_id or request.user.role == "agent"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@applicant_or_agent_required
def project_list(request):
    projects = (
        Project.objects.visible_to(request.user)
        .select_related("jurisdiction")
        .prefetch_related(
            Prefetch("applications", queryset=Application.objects.select_related("stage"))
        )
    )
    return render(request, "approvals/project_list.html", {"projects": projects})


@applicant_required
def project_create(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        project.enterprise_id = request.user.enterprise_id
        project.created_by = request.user
        project.save()
        messages.success(request, _("项目已创建。"))
        return redirect("project_detail", pk=project.pk)
    return render(request, "approvals/project_form.html", {"form": form})


@applicant_or_agent_required
def project_detail(request, pk):
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related("jurisdiction", "enterprise"), pk=pk
    )
    applications = {a.stage_id: a for a in project.applications.select_related("stage")}
    stages = [(stage, applications.get(stage.pk)) for stage in Stage.objects.filter(active=True)]
    return render(
        request,
        "approvals/project_detail.html",
        {
            "project": project,
            "stages": stages,
            "start_form": StartApplicationForm(),
            "clock": project_clock(project),
            "delegation": project.delegations.filter(revoked_at__isnull=True)
            .select_related("agent")
            .first(),
        },
    )


@applicant_required
@require_POST
def delegation_request(request, pk):
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    try:
        delegation = request_agent(project.pk, request.user)
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(
            request, _("已为项目指派代办员：%(name)s") % {"name": delegation.agent.display_name}
        )
    return redirect("project_detail", pk=pk)


@applicant_required
@require_POST
def delegation_revoke(request, pk, delegation_pk):
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    delegation = get_object_or_404(project.delegations, pk=delegation_pk)
    try:
        revoke_delegation(delegation.pk, request.user)
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, _("已撤销代办委托。"))
    return redirect("project_detail", pk=pk)


@applicant_or_agent_required
@require_POST
def application_start(request, project_pk):
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=project_pk)
    form = StartApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择办理阶段。"))
        return redirect("project_detail", pk=project.pk)
    stage = form.cleaned_data["stage"]
    existing = project.applications.exclude(state__in=["refused", "rejected", "withdrawn"]).filter(
        stage=stage
    )
    application = existing.first()
    if application is None:
        try:
            application = services.create_application(project, stage, request.user)
        except services.ServiceError as error:
            report_service_error(request, error)
            return redirect("project_detail", pk=project.pk)
    if application.configuration.situations and not application.situation_answers:
        return redirect("application_situations", pk=application.pk)
    return redirect("application_edit", pk=application.pk)


@login_required
def application_detail(request, pk):
    application = visible_application(request.user, pk)
    context = application_context(application, request.user)
    return render(request, "approvals/application_detail.html", context)


@login_required
def application_situations(request, pk):
    """The 情形 questionnaire: answers decide which matters and materials apply."""
    application = visible_application(request.user, pk)
    if not application.is_editable or not request.user.has_perm(
        "approvals.edit_application", application
    ):
        return redirect("application_detail", pk=pk)
    form = SituationsForm(
        request.POST or None,
        situations=application.configuration.situations,
        initial={k: "yes" if v else "no" for k, v in application.situation_answers.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_situations(application.pk, request.user, form.answers())
        except services.ServiceError as error:
            report_service_error(request, error)
        else:
            messages.success(request, _("已根据您的情况确定需办理的事项和材料。"))
            return redirect("application_edit", pk=pk)
    return render(
        request, "approvals/application_situations.html", {"application": application, "form": form}
    )


@login_required
def application_edit(request, pk):
    """The unified form: all of it for a draft, only the reopened fields
    during a correction."""
    application = visible_application(request.user, pk)
    scope = services.edit_scope(application)
    may_edit = request.user.has_perm("approvals.edit_application", application)
    if not may_edit or scope is None or scope.field_keys == frozenset():
        return redirect("application_detail", pk=pk)
    form = UnifiedForm(
        request.POST or None,
        field_specs=application.configuration.form_fields,
        initial=services.prefilled_values(application),
    )
    for key, field in form.fields.items():
        field.disabled = not scope.allows_field(key)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_form_data(application.pk, request.user, form.as_json())
        except services.ServiceError as error:
            report_service_error(request, error)
        else:
            messages.success(request, _("已保存草稿。"))
            return redirect("application_detail", pk=pk)
    return render(
        request, "approvals/application_edit.html", {"application": application, "form": form}
    )


@login_required
@require_POST
def material_upload(request, pk):
    application = visible_application(request.user, pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("application_detail", pk=pk)
    kind = form.cleaned_data["kind"]
    try:
        services.attach_material(application.pk, request.user, kind, form.cleaned_data["file"])
    except services.ServiceError as error:
        return upload_refused(request, application, kind, error)
    messages.success(request, _("材料已上传。"))
    return redirect("application_detail", pk=pk)


def upload_refused(request, application, kind, error):
    """The page again with the reason on the slot concerned and in the error
    summary; everything else on the page was saved before and stays."""
    context = application_context(application, request.user)
    context["upload_error"] = {"kind": kind, "messages": [error.message, *error.problems]}
    return render(request, "approvals/application_detail.html", context)


@login_required
def application_review(request, pk):
    """Check your answers (核对信息): everything in one page with change
    links, what still blocks submission, the way the result is delivered and
    the declaration."""
    application = visible_application(request.user, pk)
    if not application.is_editable:
        return redirect("application_detail", pk=pk)
    return review_page(request, application, SubmissionForm(application=application))


def review_page(request, application, form):
    context = application_context(application, request.user)
    context["problems"] = services.problems_before_submission(application)
    context["submission_form"] = form
    return render(request, "approvals/application_review.html", context)


@login_required
@require_POST
def application_submit(request, pk):
    application = visible_application(request.user, pk)
    try:
        if application.is_editable:
            form = SubmissionForm(request.POST, application=application)
            if not form.is_valid():
                return review_page(request, application, form)
            services.declare(
                application.pk,
                request.user,
                form.cleaned_data["delivery_method"],
                form.cleaned_data["delivery_address"],
            )
        services.submit_application(application.pk, request.user)
    except services.StateConflict as error:
        # A double click lands here: the first click already submitted.
        messages.info(request, error.message)
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, _("申请已提交，请等待窗口受理。"))
    return redirect("application_detail", pk=pk)


@login_required
@require_POST
def material_reuse(request, pk):
    application = visible_application(request.user, pk)
    try:
        material_id = int(request.POST.get("material", ""))
        services.reuse_material(application.pk, request.user, material_id)
    except ValueError:
        messages.error(request, _("找不到可复用的材料。"))
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, _("已复用之前提交的材料。"))
    return redirect("application_detail", pk=pk)


@login_required
@require_POST
def material_replace(request, pk, material_pk):
    application = visible_application(request.user, pk)
    material = get_object_or_404(application.materials, pk=material_pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要替换的新文件。"))
        return redirect("application_detail", pk=pk)
    try:
        services.replace_material(application.pk, request.user, material.pk, upload)
    except services.ServiceError as error:
        return upload_refused(request, application, material.kind, error)
    except Material.DoesNotExist:
        messages.error(request, _("该文件已被替换或不存在。"))
    else:
        messages.success(request, _("文件已替换，旧版本保留在历史中。"))
    return redirect("application_detail", pk=pk)


@login_required
@require_POST
def application_resubmit(request, pk):
    application = visible_application(request.user, pk)
    try:
        services.resubmit_application(application.pk, request.user)
    except services.StateConflict as error:
        messages.info(request, error.message)
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, _("补正材料已提交，请等待窗口审核。"))
    return redirect("application_detail", pk=pk)


@login_required
@require_POST
def application_delivery_choice(request, pk):
    application = visible_application(request.user, pk, rule="choose_delivery")
    form = DeliveryChoiceForm(request.POST)
    return perform(
        request,
        lambda: services.change_delivery_choice(
            application.pk,
            request.user,
            form.cleaned_data["delivery_method"],
            form.cleaned_data["delivery_address"],
        ),
        _("证照领取方式已更新。"),
        redirect("application_detail", pk=pk),
        form,
    )


@login_required
@require_POST
def application_withdraw(request, pk):
    application = visible_application(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤回理由。"))
        return redirect("application_detail", pk=pk)
    try:
        services.withdraw_application(application.pk, request.user, form.cleaned_data["reason"])
    except services.ServiceError as error:
        report_service_error(request, error)
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("application_detail", pk=pk)
