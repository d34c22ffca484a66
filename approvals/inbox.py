"""The window clerk's inbox: filters, sorting, counts per state, the
per-row facts the list shows (due badges, the 5-day pre-review rule), and
the filtered list as a table for CSV/XLSX export."""

from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.tabular import Table
from stages.calendar import CalendarNotAvailable, WorkingCalendar
from stages.models import Stage

from .forms import InboxForm
from .models import Application, ApplicationState
from .models.clock import DUE_FILTERS, WARNING_LABELS

# 行政许可法 §32: decide on acceptance, or tell every correction at once,
# within 5 days of receiving the application.
PRE_REVIEW_DAYS = 5

SORTS = {
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "number": ("number",),
}


class InboxFilterForm(InboxForm):
    default_state = ApplicationState.SUBMITTED
    field_order = ["state", "stage", "source", "due", "q", "sort"]
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部"))]
        + [c for c in ApplicationState.choices if c[0] != ApplicationState.DRAFT],
    )
    stage = forms.ModelChoiceField(
        label=_("阶段"),
        required=False,
        queryset=Stage.objects.filter(active=True),
        to_field_name="code",
        empty_label=_("全部阶段"),
    )
    source = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部渠道")), *Application.Source.choices]
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("submitted", _("提交时间（早→晚）")),
            ("-submitted", _("提交时间（晚→早）")),
            ("due", _("办结期限（近→远）")),
            ("number", _("申请编号")),
        ],
    )

    def filtered(self, scoped):
        """The scoped queryset narrowed by the valid filters, sorted."""
        values = self.cleaned_data if self.is_valid() else {}
        applications = scoped
        if values.get("state"):
            applications = applications.filter(state=values["state"])
        if values.get("stage"):
            applications = applications.filter(stage=values["stage"])
        if values.get("source"):
            applications = applications.filter(source=values["source"])
        if values.get("due"):
            level = DUE_FILTERS[values["due"]]
            applications = applications.filter(Application.warning_q(level, timezone.localdate()))
        query = values.get("q", "").strip()
        if query:
            applications = applications.filter(pk__in=Application.objects.matching_ids(query))
        return applications.order_by(
            *SORTS.get(values.get("sort") or "submitted", SORTS["submitted"])
        )


def state_counts(scoped):
    counts = dict(scoped.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return [
        (value, label, counts.get(value, 0))
        for value, label in ApplicationState.choices
        if value != ApplicationState.DRAFT
    ]


def annotate_rows(applications):
    """Per-row facts computed in Python over one page (one calendar load)."""
    today = timezone.localdate()
    try:
        calendar = WorkingCalendar()
    except CalendarNotAvailable:
        calendar = None
    for application in applications:
        application.pre_review_late = False
        if (
            application.state == ApplicationState.SUBMITTED
            and application.submitted_at
            and calendar
        ):
            try:
                waited = calendar.working_days_between(
                    timezone.localtime(application.submitted_at).date(), today
                )
            except CalendarNotAvailable:
                waited = 0
            application.pre_review_days = waited
            application.pre_review_late = waited > PRE_REVIEW_DAYS
    return applications


def export_table(applications):
    """Every application the filters select (not one page), streamed."""

    def rows():
        for application in applications.iterator(chunk_size=2000):
            project = application.project
            yield [
                application.number,
                application.stage.name,
                project.name,
                project.code or "",
                project.enterprise.name,
                project.enterprise.credit_code,
                application.get_source_display(),
                application.get_state_display(),
                application.submitted_at
                and timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M"),
                application.due_on,
                WARNING_LABELS[application.warning_level],
            ]

    columns = [
        _("申请编号"),
        _("阶段"),
        _("项目"),
        _("投资项目统一代码"),
        _("建设单位"),
        _("统一社会信用代码"),
        _("渠道"),
        _("状态"),
        _("提交时间"),
        _("办结期限"),
        _("期限"),
    ]
    return Table("applications", _("申请列表"), columns, rows(), _("没有符合条件的申请。"))
