"""Forms of the applicant and back-office pages. The stage's unified form
and the situations questionnaire come from `stages.forms`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stages.models import Stage

from .models import Project


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "jurisdiction",
            "address",
            "flow_type",
            "investment_source",
            "approval_type",
            "nature",
            "total_investment",
            "land_area",
            "building_area",
            "scale",
            "planned_start",
            "planned_end",
        ]
        widgets = {
            "planned_start": forms.DateInput(attrs={"type": "date"}),
            "planned_end": forms.DateInput(attrs={"type": "date"}),
            "scale": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StartApplicationForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("办理阶段"), queryset=Stage.objects.filter(active=True), empty_label=None
    )


class MaterialForm(forms.Form):
    kind = forms.SlugField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("选择文件"))


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
