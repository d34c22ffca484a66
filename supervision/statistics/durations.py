"""Working days taken, per stage (applications) and per matter and per
department (review tasks), for items decided in the period: from the clock's
start (受理) to the decision, less the working days the clock was paused
(特别程序, supplements). Average and 90th percentile (as PostgreSQL's
percentile_cont: linear interpolation) — see `workdays` for how working
days are counted inside the query.

Rows written without a clock start (bulk-seeded benchmark data) are
measured from the acceptance date instead; rows with neither are left out.

Decisions of closed days come from the summary table (`summaries`), later
ones from the live rows; both as a frequency table (items per working-day
count), from which `Frequencies` computes the figures in Python."""

from django.db.models import BooleanField, ExpressionWrapper, F, IntegerField, Q
from django.db.models.functions import Coalesce, TruncDate

from approvals.models import Application, ApplicationState, ReviewTask, ReviewTaskState
from stages.models import Matter

from .. import summaries
from ..models import DecisionSummary
from .frequencies import Frequencies

DECIDED_APPLICATIONS = [
    ApplicationState.APPROVED,
    ApplicationState.REJECTED,
    ApplicationState.ISSUED,
    ApplicationState.DELIVERED,
]
DECIDED_TASKS = [ReviewTaskState.APPROVED, ReviewTaskState.REJECTED]


def _measured(queryset, numbers, start, groups):
    """One row per decided item: its group columns (`groups`: alias →
    field name or expression), working days taken, and whether it was
    decided by its stored due date (already moved by every pause)."""
    decided_on = TruncDate("decided_at")
    elapsed = ExpressionWrapper(
        numbers.between(start, decided_on) - F("paused_working_days"),
        output_field=IntegerField(),
    )
    return queryset.order_by().values(
        **{alias: F(field) if isinstance(field, str) else field for alias, field in groups.items()},
        elapsed=elapsed,
        on_time=ExpressionWrapper(Q(due_on__gte=decided_on), output_field=BooleanField()),
    )


def _decided(queryset, states, period):
    first, after = period.bounds()
    return queryset.filter(decided_at__gte=first, decided_at__lt=after, state__in=states)


def per_stage(scope, filters, numbers, labels, reading=None):
    applications = scope.applications(
        _decided(Application.objects, DECIDED_APPLICATIONS, filters.period)
    )
    if filters.stage_id:
        applications = applications.filter(stage_id=filters.stage_id)
    measured = _measured(applications, numbers, APPLICATION_START, {"stage_key": "stage_id"})
    rows = summaries.frequencies(
        DecisionSummary.Kind.APPLICATION,
        measured,
        {"stage_key": "stage_id"},
        scope,
        filters,
        reading,
    )
    return _rows(Frequencies.grouped(rows, 0), labels.stages)


def _tasks(scope, filters):
    tasks = scope.tasks(_decided(ReviewTask.objects, DECIDED_TASKS, filters.period))
    if filters.stage_id:
        tasks = tasks.filter(matter__stage_id=filters.stage_id)
    if filters.department_id:
        tasks = tasks.filter(department_id=filters.department_id)
    return tasks


APPLICATION_START = Coalesce("clock_started_on", TruncDate("accepted_at"))
TASK_START = Coalesce("clock_started_on", TruncDate("application__accepted_at"))


def per_matter_and_department(scope, filters, numbers, labels, reading=None):
    """(per matter, per department) from one pass over the decided tasks."""
    groups = {"matter_key": "matter_id", "department_key": "department_id"}
    measured = _measured(_tasks(scope, filters), numbers, TASK_START, groups)
    rows = summaries.frequencies(
        DecisionSummary.Kind.TASK, measured, groups, scope, filters, reading
    )
    return (
        _rows(Frequencies.grouped(rows, 0), labels.matters),
        _rows(Frequencies.grouped(rows, 1), labels.departments),
    )


def per_matter(scope, filters, numbers, labels):
    return per_matter_and_department(scope, filters, numbers, labels)[0]


def per_department(scope, filters, numbers, labels):
    return per_matter_and_department(scope, filters, numbers, labels)[1]


def _rows(aggregated, labels):
    rows = []
    for group, count, average, p90, longest, on_time in aggregated:
        if not count or group not in labels:
            continue
        rows.append(
            {
                "id": group,
                "count": count,
                "average": None if average is None else float(average),
                "p90": p90,
                "longest": longest,
                "on_time": on_time,
                "on_time_rate": on_time / count,
                **labels[group],
            }
        )
    return sorted(rows, key=lambda row: row["order"])


class Labels:
    """Names, limits and display order of stages, matters and departments,
    from one query over the (small) catalogue."""

    def __init__(self):
        self.stages, self.matters, self.departments = {}, {}, {}
        matters = Matter.objects.select_related("stage", "department").order_by(
            "stage__order", "stage__number", "pk"
        )
        for position, matter in enumerate(matters):
            stage, department = matter.stage, matter.department
            self.stages.setdefault(
                stage.pk,
                {
                    "name": stage.name,
                    "limit": stage.time_limit_working_days,
                    "order": (stage.order, stage.number, stage.pk),
                },
            )
            self.matters[matter.pk] = {
                "name": matter.name,
                "stage_name": stage.name,
                "department_name": department.name,
                "limit": matter.time_limit_working_days,
                "order": position,
            }
            # The catalogue's own order (发改, 自规, 住建, …), not the codes'.
            self.departments.setdefault(
                department.pk, {"name": department.name, "order": department.pk}
            )
