"""Forms: the dashboard's filters (also the exports'), a 督办, and a report
for any period."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stages.models import Department, Jurisdiction, Stage

from .escalations import NOTE_MAX_LENGTH
from .filters import Filters
from .periods import PeriodError, checked, default_period
from .scope import Scope


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    fill_default = False  # the dashboard opens on the last 30 days

    start = forms.DateField(label=_("开始日期"), widget=DateInput())
    end = forms.DateField(label=_("结束日期"), widget=DateInput())

    def __init__(self, data=None, *, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        self.user = user
        self.today = timezone.localdate()
        home = user.staff_membership.jurisdiction
        if data is not None and self.fill_default:
            data = data.copy()
            default = default_period(self.today)
            if not data.get("start") and not data.get("end"):
                data["start"], data["end"] = default.start.isoformat(), default.end.isoformat()
        super().__init__(data, **kwargs)
        if home.is_city:
            self.fields["jurisdiction"] = forms.ModelChoiceField(
                label=_("区域"),
                queryset=Jurisdiction.objects.order_by("code"),
                required=False,
                empty_label=_("全市"),
            )

    def clean(self):
        data = super().clean()
        if "start" in data and "end" in data:
            try:
                data["period"] = checked(data["start"], data["end"], self.today)
            except PeriodError as error:
                raise forms.ValidationError(str(error), code="period") from error
        return data

    def scope(self):
        return Scope.for_user(self.user, self.cleaned_data.get("jurisdiction"))


class DashboardFilterForm(PeriodForm):
    fill_default = True

    stage = forms.ModelChoiceField(
        label=_("阶段"),
        queryset=Stage.objects.filter(active=True),
        required=False,
        empty_label=_("全部阶段"),
    )
    department = forms.ModelChoiceField(
        label=_("部门"),
        queryset=Department.objects.filter(matters__isnull=False).distinct().order_by("code"),
        required=False,
        empty_label=_("全部部门"),
    )
    level = forms.ChoiceField(
        label=_("预警"),
        required=False,
        choices=[("", _("红牌和黄牌")), ("red", _("仅红牌")), ("yellow", _("仅黄牌"))],
    )

    def filters(self):
        data = self.cleaned_data
        return Filters(
            period=data["period"],
            stage_id=data["stage"].pk if data.get("stage") else None,
            department_id=data["department"].pk if data.get("department") else None,
            level=data.get("level") or "",
        )

    def query(self):
        """The valid filters as query parameters, for export links."""
        params = self.filters().query()
        if self.cleaned_data.get("jurisdiction"):
            params["jurisdiction"] = self.cleaned_data["jurisdiction"].pk
        return params


class ReportRequestForm(PeriodForm):
    pass


class EscalationForm(forms.Form):
    note = forms.CharField(
        label=_("督办意见"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_deadline = forms.DateField(
        label=_("限期办结日期"),
        widget=DateInput(),
        help_text=_("不早于今天，不晚于 60 天后。"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
