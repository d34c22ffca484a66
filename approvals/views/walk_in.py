"""窗口收件 pages: find or register the visitor's enterprise, choose or
create the project, start the application; the ordinary application pages
take over from there (the clerk may fill them for a window application)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.credit_code import normalize, validate_credit_code
from portal.models import Enterprise, Role

from .. import services
from ..forms import ProjectForm, StartApplicationForm
from ..models import Project
from ..services.walk_in import find_or_register_enterprise, start_walk_in_application
from .helpers import report_service_error
from .staff import role_required


class EnterpriseLookupForm(forms.Form):
    credit_code = forms.CharField(
        label=gettext_lazy("统一社会信用代码"), max_length=18, validators=[validate_credit_code]
    )

    def clean_credit_code(self):
        return normalize(self.cleaned_data["credit_code"])


class EnterpriseDetailsForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "legal_representative", "contact", "phone"]


@role_required(Role.CLERK)
def walk_in_start(request):
    """Step 1: the visitor's credit code; registers the enterprise if new."""
    lookup = EnterpriseLookupForm(request.POST or None)
    details = EnterpriseDetailsForm(request.POST or None, prefix="new")
    if request.method == "POST" and lookup.is_valid():
        code = lookup.cleaned_data["credit_code"]
        existing = Enterprise.objects.filter(credit_code=code).first()
        if existing is not None:
            return redirect("walk_in_project", enterprise_pk=existing.pk)
        if "register" in request.POST and details.is_valid():
            enterprise = find_or_register_enterprise(code, **details.cleaned_data)
            messages.success(request, _("已登记企业：%(name)s") % {"name": enterprise.name})
            return redirect("walk_in_project", enterprise_pk=enterprise.pk)
        messages.info(request, _("该企业尚未在平台登记，请填写企业信息。"))
        return render(
            request,
            "staff/walk_in_start.html",
            {"lookup": lookup, "details": details, "needs_details": True},
        )
    return render(request, "staff/walk_in_start.html", {"lookup": lookup, "details": details})


@role_required(Role.CLERK)
def walk_in_project(request, enterprise_pk):
    """Step 2: choose one of the enterprise's projects or register a new one,
    then the stage; starts the application."""
    enterprise = get_object_or_404(Enterprise, pk=enterprise_pk)
    projects = Project.objects.visible_to(request.user).filter(enterprise=enterprise)
    project_form = ProjectForm(request.POST or None, prefix="project")
    start_form = StartApplicationForm(request.POST or None, prefix="start")
    if request.method == "POST" and start_form.is_valid():
        if request.POST.get("project"):
            project = get_object_or_404(projects, pk=request.POST["project"])
        elif project_form.is_valid():
            project = project_form.save(commit=False)
            project.enterprise = enterprise
            project.created_by = request.user
            project.save()
        else:
            project = None
        if project is not None:
            try:
                application = start_walk_in_application(
                    request.user, project, start_form.cleaned_data["stage"]
                )
            except services.ServiceError as error:
                report_service_error(request, error)
            else:
                messages.success(request, _("已为申请人创建申请，请继续填写。"))
                if application.configuration.situations:
                    return redirect("application_situations", pk=application.pk)
                return redirect("application_edit", pk=application.pk)
    return render(
        request,
        "staff/walk_in_project.html",
        {
            "enterprise": enterprise,
            "projects": projects,
            "project_form": project_form,
            "start_form": start_form,
        },
    )
