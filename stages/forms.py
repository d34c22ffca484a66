"""The unified form (一张表单) built from a configuration's field list, and
the situations questionnaire. Server-side validation: each field's own rule
(regex, min, max, choices) with its own message."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

YES_NO = [("", "——"), ("yes", _("是")), ("no", _("否"))]


def _build_field(spec):
    kind = spec["field_type"]
    if kind == "text":
        field = forms.CharField(max_length=500)
    elif kind == "long_text":
        field = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    elif kind == "integer":
        field = forms.IntegerField()
    elif kind == "decimal":
        field = forms.DecimalField(max_digits=16, decimal_places=2)
    elif kind == "date":
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    elif kind == "choice":
        field = forms.ChoiceField(choices=[("", "——"), *[(c, c) for c in spec["choices"]]])
    elif kind == "multiple_choice":
        field = forms.MultipleChoiceField(
            choices=[(c, c) for c in spec["choices"]], widget=forms.CheckboxSelectMultiple
        )
    elif kind == "yes_no":
        field = forms.ChoiceField(choices=YES_NO)
    else:
        raise ValueError(f"unknown field type {kind!r}")
    if spec.get("regex"):
        field.validators.append(
            RegexValidator(
                f"^(?:{spec['regex']})$",
                message=spec.get("regex_message") or _("格式不正确。"),
            )
        )
    if spec.get("min_value") is not None:
        field.validators.append(MinValueValidator(Decimal(spec["min_value"])))
    if spec.get("max_value") is not None:
        field.validators.append(MaxValueValidator(Decimal(spec["max_value"])))
    field.label = spec["label"]
    field.help_text = spec.get("help_text", "")
    return field


class UnifiedForm(forms.Form):
    """`complete=False` (saving a draft) accepts blanks but still checks the
    format of what was entered; `complete=True` also requires required fields."""

    def __init__(self, *args, field_specs, complete=False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.field_specs = field_specs
        for spec in field_specs:
            field = _build_field(spec)
            field.required = complete and spec["required"]
            if spec["required"]:
                field.widget.attrs["aria-required"] = "true"
                field.label = f"{field.label} *"
            self.fields[spec["key"]] = field

    def sections(self):
        """[(section title, [bound fields])] in configured order."""
        grouped = {}
        for spec in self.field_specs:
            grouped.setdefault(spec.get("section") or "", []).append(self[spec["key"]])
        return list(grouped.items())

    def as_json(self):
        values = {}
        for key, value in self.cleaned_data.items():
            if value is None:
                values[key] = ""
            elif isinstance(value, list):
                values[key] = value
            else:
                values[key] = str(value)
        return values


class SituationsForm(forms.Form):
    """The 情形 questionnaire: one yes/no per situation."""

    def __init__(self, *args, situations, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for situation in situations:
            self.fields[situation["code"]] = forms.TypedChoiceField(
                label=situation["question"],
                help_text=situation.get("help_text", ""),
                choices=[("yes", _("是")), ("no", _("否"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )

    def answers(self):
        return dict(self.cleaned_data)
