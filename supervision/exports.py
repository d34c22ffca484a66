"""One table of the dashboard, computed on its own with every row, for the
export links (CSV/XLSX with the page's filters) and for reports' files."""

from stages.calendar import CalendarNotAvailable, WorkingCalendar

from . import tables
from .escalations import open_escalations
from .statistics import counts, durations, target, warnings, window
from .workdays import WorkingDayNumbers

CHUNK = 2000


class _Numbers:
    """The calendar span, loaded only by tables that need it."""

    def __init__(self, filters, today):
        self.filters, self.today, self._value = filters, today, None

    def get(self):
        if self._value is None:
            self._value = WorkingDayNumbers.for_period(
                WorkingCalendar(), self.filters.period, self.today
            )
        return self._value


def _warnings(scope, filters, today, numbers):
    try:
        span = numbers.get()
    except CalendarNotAvailable:
        span = None
    tasks = warnings.task_list(scope, filters, today, span)
    return tables.warnings_table(tasks.iterator(chunk_size=CHUNK))


BUILDERS = {
    "stages": lambda s, f, t, n: tables.stages_table(counts.stage_state_counts(s, f, t)),
    "warnings_by_department": lambda s, f, t, n: tables.warnings_by_department_table(
        warnings.by_department(s, f, t)
    ),
    "warnings": _warnings,
    "durations_stage": lambda s, f, t, n: tables.durations_stage_table(
        durations.per_stage(s, f, n.get())
    ),
    "durations_matter": lambda s, f, t, n: tables.durations_matter_table(
        durations.per_matter(s, f, n.get())
    ),
    "durations_department": lambda s, f, t, n: tables.durations_department_table(
        durations.per_department(s, f, n.get())
    ),
    "projects_summary": lambda s, f, t, n: tables.projects_summary_table(
        target.summary(s, f, n.get(), t)
    ),
    "projects": lambda s, f, t, n: tables.projects_table(
        target.project_list(s, f, n.get(), t).iterator(chunk_size=CHUNK)
    ),
    "window": lambda s, f, t, n: tables.window_table(window.window_figures(s, f)),
    "escalations": lambda s, f, t, n: tables.escalations_table(
        open_escalations(s, f).iterator(chunk_size=CHUNK)
    ),
}


def table(key, scope, filters, today):
    """Raises KeyError for an unknown table and CalendarNotAvailable when a
    working-day table has no calendar for the period."""
    return BUILDERS[key](scope, filters, today, _Numbers(filters, today))
