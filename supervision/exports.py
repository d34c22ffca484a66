"""One table of the dashboard, computed on its own with every row, for the
export links (CSV/XLSX with the page's filters) and for reports' files."""

from stages.calendar import CalendarNotAvailable, WorkingCalendar

from . import tables
from .escalations import open_escalations
from .statistics import counts, durations, target, warnings, window, workloads
from .workdays import WorkingDayNumbers

CHUNK = 2000


class Context:
    """What a table needs; the calendar span is loaded only by tables that
    count working days. `limit` caps the item lists (None: every row)."""

    def __init__(self, scope, filters, today, limit=None):
        self.scope, self.filters, self.today, self.limit = scope, filters, today, limit
        self._numbers = None

    def numbers(self):
        if self._numbers is None:
            self._numbers = WorkingDayNumbers.for_period(
                WorkingCalendar(), self.filters.period, self.today
            )
        return self._numbers

    def numbers_if_any(self):
        try:
            return self.numbers()
        except CalendarNotAvailable:
            return None


def _stages(c):
    return tables.stages_table(counts.stage_state_counts(c.scope, c.filters, c.today))


def _warnings_by_department(c):
    return tables.warnings_by_department_table(warnings.by_department(c.scope, c.filters, c.today))


def _warnings(c):
    if c.limit:
        tasks = warnings.task_list(c.scope, c.filters, c.today, c.numbers_if_any(), c.limit)
        return tables.warnings_table(map(warnings.row_of, tasks))
    rows = warnings.task_rows(c.scope, c.filters, c.today, c.numbers_if_any())
    return tables.warnings_table(rows.iterator(chunk_size=CHUNK))


def _durations(figure, to_table):
    def build(c):
        return to_table(figure(c.scope, c.filters, c.numbers(), durations.Labels()))

    return build


def _projects_summary(c):
    return tables.projects_summary_table(target.summary(c.scope, c.filters, c.numbers(), c.today))


def _projects(c):
    if c.limit:
        projects = target.project_list(c.scope, c.filters, c.numbers(), c.today, c.limit)
        return tables.projects_table(map(target.row_of, projects))
    return tables.projects_table(target.project_rows(c.scope, c.filters, c.numbers(), c.today))


def _window(c):
    return tables.window_table(window.window_figures(c.scope, c.filters))


def _escalations(c):
    escalations = open_escalations(c.scope, c.filters)
    if c.limit:
        escalations = escalations[: c.limit]
    return tables.escalations_table(escalations.iterator(chunk_size=CHUNK))


BUILDERS = {
    "stages": _stages,
    "warnings_by_department": _warnings_by_department,
    "warnings": _warnings,
    "durations_stage": _durations(durations.per_stage, tables.durations_stage_table),
    "durations_matter": _durations(durations.per_matter, tables.durations_matter_table),
    "durations_department": _durations(durations.per_department, tables.durations_department_table),
    "projects_summary": _projects_summary,
    "projects": _projects,
    "window": _window,
    "escalations": _escalations,
    "agents": lambda c: tables.agents_table(workloads.agents(c.scope, c.filters)),
    "intermediaries": lambda c: tables.intermediaries_table(
        workloads.intermediaries(c.scope, c.filters)
    ),
}


def table(key, scope, filters, today, limit=None):
    """Raises KeyError for an unknown table and CalendarNotAvailable when a
    working-day table has no calendar for the period."""
    return BUILDERS[key](Context(scope, filters, today, limit))
