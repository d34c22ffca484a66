"""Every figure of one scope and set of filters, gathered once: the
dashboard renders them (with short lists), reports and exports use them
(with full lists). A fixed number of queries whatever the data size:
two for the calendar, one for the catalogue's names, one for the
summaries' edge, one per figure."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from stages.calendar import CalendarNotAvailable, WorkingCalendar

from .escalations import escalations_in_period, open_escalations
from .statistics import counts, durations, target, warnings, window, workloads
from .summaries import Reading
from .workdays import WorkingDayNumbers


@dataclass
class Figures:
    scope: object
    filters: object
    today: object
    stage_counts: list = field(default_factory=list)
    warnings_by_department: list = field(default_factory=list)
    warning_tasks: list = field(default_factory=list)
    stage_durations: list = field(default_factory=list)
    matter_durations: list = field(default_factory=list)
    department_durations: list = field(default_factory=list)
    projects: dict = field(default_factory=dict)
    project_list: list = field(default_factory=list)
    window: list = field(default_factory=list)
    agents: list = field(default_factory=list)
    intermediaries: list = field(default_factory=list)
    open_escalations: list = field(default_factory=list)
    period_escalations: list = field(default_factory=list)
    calendar_problem: str = ""

    @property
    def warning_total(self):
        return sum(row["red"] + row["yellow"] for row in self.warnings_by_department)

    @property
    def has_period_data(self):
        """Anything happened in the period (a report says so when not)."""
        return bool(
            any(
                row["submitted_in_period"] or row["accepted_in_period"] or row["decided_in_period"]
                for row in self.stage_counts
            )
            or self.stage_durations
            or self.matter_durations
            or self.window
            or self.period_escalations
        )


def collect(scope, filters, today, *, limit=None, with_period_escalations=False):
    """`limit` bounds the item lists (warned tasks, late projects); None for
    every row (reports, exports)."""
    figures = Figures(scope=scope, filters=filters, today=today)
    numbers = None
    try:
        numbers = WorkingDayNumbers.for_period(WorkingCalendar(), filters.period, today)
    except CalendarNotAvailable as error:
        figures.calendar_problem = _("%(error)s 工作日统计暂不可用。") % {"error": error}
    figures.stage_counts = counts.stage_state_counts(scope, filters, today)
    figures.warnings_by_department = warnings.by_department(scope, filters, today)
    figures.warning_tasks = list(warnings.task_list(scope, filters, today, numbers, limit))
    if numbers is not None:
        labels, reading = durations.Labels(), Reading()
        figures.stage_durations = durations.per_stage(scope, filters, numbers, labels, reading)
        figures.matter_durations, figures.department_durations = (
            durations.per_matter_and_department(scope, filters, numbers, labels, reading)
        )
        figures.projects = target.summary(scope, filters, numbers, today, reading)
        figures.project_list = list(
            target.project_list(scope, filters, numbers, today, limit, reading)
        )
    figures.window = window.window_figures(scope, filters)
    figures.agents = workloads.agents(scope, filters)
    figures.intermediaries = workloads.intermediaries(scope, filters)
    figures.open_escalations = list(open_escalations(scope, filters)[: limit or None])
    if with_period_escalations:
        figures.period_escalations = list(escalations_in_period(scope, filters))
    return figures
