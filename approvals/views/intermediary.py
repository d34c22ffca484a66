"""The applicant's intermediary pages under a project: the registry by
service type, picking one for a need, recording start and finish, rating.
Anyone who does not act for the project gets a 404."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stages.models import Stage

from ..models import Project
from ..models.intermediary import Intermediary, IntermediaryEngagement, ServiceType
from ..services import intermediary as service
from .helpers import perform


class PickForm(forms.Form):
    service_type = forms.ChoiceField(choices=ServiceType.choices, widget=forms.HiddenInput)
    intermediary = forms.ModelChoiceField(
        label=gettext_lazy("中介机构"),
        queryset=Intermediary.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    need = forms.CharField(
        label=gettext_lazy("服务需求"),
        max_length=200,
        help_text=gettext_lazy("如：用地勘测定界、岩土工程详细勘察。"),
    )
    stage = forms.ModelChoiceField(
        label=gettext_lazy("服务阶段"),
        queryset=Stage.objects.filter(active=True),
        required=False,
    )

    def __init__(self, *args, service_type=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if service_type:
            self.fields["intermediary"].queryset = Intermediary.objects.filter(
                active=True, services__service_type=service_type
            ).order_by("name")
            self.initial.setdefault("service_type", service_type)


class PlainForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateForm(PlainForm):
    day = forms.DateField(
        label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class RateForm(PlainForm):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("评分"),
        choices=[(n, f"{n} ★") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("评价"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def acting_project(user, pk):
    project = get_object_or_404(
        Project.objects.visible_to(user).select_related("enterprise"), pk=pk
    )
    if not service.acts_for(user, project):
        raise Http404
    return project


def _engagement(user, pk, engagement_pk):
    project = acting_project(user, pk)
    return get_object_or_404(IntermediaryEngagement, pk=engagement_pk, project=project)


@login_required
def engagement_list(request, pk):
    project = acting_project(request.user, pk)
    service_type = request.GET.get("type", "")
    if service_type not in ServiceType.values:
        service_type = ""
    engagements = list(IntermediaryEngagement.objects.for_project(project))
    today = timezone.localdate()
    for engagement in engagements:  # one form per row, each with its own ids
        prefix = f"engagement-{engagement.pk}-%s"
        engagement.date_form = DateForm(initial={"day": today}, auto_id=prefix)
        engagement.rate_form = RateForm(auto_id=prefix)
    return render(
        request,
        "intermediary/engagement_list.html",
        {
            "project": project,
            "engagements": engagements,
            "service_types": ServiceType.choices,
            "service_type": service_type,
            "service_type_label": ServiceType(service_type).label if service_type else "",
            "registry": list(service.registry(service_type)) if service_type else [],
            "pick_form": PickForm(service_type=service_type) if service_type else None,
            "working_days": service.working_days_used(project, today),
        },
    )


@login_required
@require_POST
def pick(request, pk):
    project = acting_project(request.user, pk)
    service_type = request.POST.get("service_type", "")
    form = PickForm(request.POST, service_type=service_type)

    def pick_one():
        data = form.cleaned_data
        service.pick(
            project.pk,
            request.user,
            data["service_type"],
            data["intermediary"].pk,
            data["need"],
            data["stage"].pk if data["stage"] else None,
        )

    return perform(
        request,
        pick_one,
        _("已选取中介机构。服务开始后请登记开始日期。"),
        redirect("intermediary_list", pk=pk),
        form,
    )


def _dated(action, success):
    @login_required
    @require_POST
    def view(request, pk, engagement_pk):
        engagement = _engagement(request.user, pk, engagement_pk)
        form = DateForm(request.POST)
        return perform(
            request,
            lambda: action(engagement.pk, request.user, form.cleaned_data["day"]),
            success,
            redirect("intermediary_list", pk=pk),
            form,
        )

    return view


start = _dated(service.start, gettext_lazy("已登记服务开始日期。"))
finish = _dated(service.finish, gettext_lazy("已登记服务完成日期，请对本次服务作出评价。"))


@login_required
@require_POST
def rate(request, pk, engagement_pk):
    engagement = _engagement(request.user, pk, engagement_pk)
    form = RateForm(request.POST)
    return perform(
        request,
        lambda: service.rate(
            engagement.pk, request.user, form.cleaned_data["rating"], form.cleaned_data["comment"]
        ),
        _("感谢您的评价。"),
        redirect("intermediary_list", pk=pk),
        form,
    )


@login_required
@require_POST
def cancel(request, pk, engagement_pk):
    engagement = _engagement(request.user, pk, engagement_pk)
    return perform(
        request,
        lambda: service.cancel(engagement.pk, request.user),
        _("已取消该委托。"),
        redirect("intermediary_list", pk=pk),
    )
