"""Forms of the applicant and back-office pages; the stage's unified form is
built from its FormField rows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stages.models import FormField, Stage

from .models import Project

FIELD_BUILDERS = {
    FormField.Type.TEXT: lambda f: forms.CharField(max_length=500),
    FormField.Type.LONG_TEXT: lambda f: forms.CharField(widget=forms.Textarea(attrs={"rows": 4})),
    FormField.Type.INTEGER: lambda f: forms.IntegerField(),
    FormField.Type.DECIMAL: lambda f: forms.DecimalField(max_digits=16, decimal_places=2),
    FormField.Type.DATE: lambda f: forms.DateField(widget=forms.DateInput(attrs={"type": "date"})),
    FormField.Type.CHOICE: lambda f: forms.ChoiceField(
        choices=[("", "——")] + [(c, c) for c in f.choice_list]
    ),
}


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["code", "name", "jurisdiction", "address", "total_investment", "building_area"]


class StageForm(forms.Form):
    """The stage's unified form. Saving a draft accepts blanks; submission
    checks required fields in the service."""

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_fields = list(stage.form_fields.all())
        for field in self.stage_fields:
            django_field = FIELD_BUILDERS[field.field_type](field)
            django_field.label = field.label
            django_field.help_text = field.help_text
            django_field.required = False
            if field.required:
                django_field.widget.attrs["aria-required"] = "true"
            self.fields[field.key] = django_field

    def as_json(self):
        return {
            key: ("" if value is None else str(value)) for key, value in self.cleaned_data.items()
        }


class StartApplicationForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("办理阶段"), queryset=Stage.objects.filter(active=True), empty_label=None
    )


class MaterialForm(forms.Form):
    label = forms.CharField(label=_("材料名称"), max_length=150)
    file = forms.FileField(
        label=_("文件"), help_text=_("支持 PDF、PNG、JPEG，单个文件不超过 20 MB。")
    )


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
