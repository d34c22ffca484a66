"""Working days taken, per stage (applications) and per matter and per
department (review tasks), for items decided in the period: from the clock's
start (受理) to the decision, less the working days the clock was paused
(特别程序, supplements). Average and 90th percentile (PostgreSQL
percentile_cont, linear interpolation; NULL elsewhere) — see `workdays` for
how working days are counted inside the query.

Rows written without a clock start (bulk-seeded benchmark data) are
measured from the acceptance date instead; rows with neither are left out."""

from django.db.models import Avg, Count, ExpressionWrapper, F, FloatField, IntegerField, Max, Q
from django.db.models.functions import Coalesce, TruncDate

from approvals.models import Application, ApplicationState, ReviewTask, ReviewTaskState
from queueing.statistics import Percentile

DECIDED_APPLICATIONS = [
    ApplicationState.APPROVED,
    ApplicationState.REJECTED,
    ApplicationState.ISSUED,
    ApplicationState.DELIVERED,
]
DECIDED_TASKS = [ReviewTaskState.APPROVED, ReviewTaskState.REJECTED]


FIGURES = {
    "count": Count("elapsed"),
    "average": Avg("elapsed"),
    "p90": Percentile("elapsed", 0.9, output_field=FloatField()),
    "longest": Max("elapsed"),
    # Decided by the stored due date (which already moved with every pause).
    "on_time": Count("elapsed", filter=Q(decided_on__lte=F("due_on"))),
}


def _elapsed(numbers, start):
    return ExpressionWrapper(
        numbers.between(start, TruncDate("decided_at")) - F("paused_working_days"),
        output_field=IntegerField(),
    )


def _decided(queryset, states, period):
    first, after = period.bounds()
    return queryset.filter(decided_at__gte=first, decided_at__lt=after, state__in=states)


def per_stage(scope, filters, numbers):
    applications = scope.applications(
        _decided(Application.objects, DECIDED_APPLICATIONS, filters.period)
    )
    if filters.stage_id:
        applications = applications.filter(stage_id=filters.stage_id)
    start = Coalesce("clock_started_on", TruncDate("accepted_at"))
    return _rows(
        applications.annotate(
            elapsed=_elapsed(numbers, start), decided_on=TruncDate("decided_at")
        ).values(
            "stage_id",
            name=F("stage__name"),
            limit=F("stage__time_limit_working_days"),
            stage_order=F("stage__order"),
            stage_number=F("stage__number"),
        ),
        ("stage_order", "stage_number", "stage_id"),
    )


def _tasks(scope, filters, numbers):
    tasks = scope.tasks(_decided(ReviewTask.objects, DECIDED_TASKS, filters.period))
    if filters.stage_id:
        tasks = tasks.filter(matter__stage_id=filters.stage_id)
    if filters.department_id:
        tasks = tasks.filter(department_id=filters.department_id)
    start = Coalesce("clock_started_on", TruncDate("application__accepted_at"))
    return tasks.annotate(elapsed=_elapsed(numbers, start), decided_on=TruncDate("decided_at"))


def per_matter(scope, filters, numbers):
    return _rows(
        _tasks(scope, filters, numbers).values(
            "matter_id",
            name=F("matter__name"),
            stage_name=F("matter__stage__name"),
            department_name=F("department__name"),
            limit=F("matter__time_limit_working_days"),
            stage_order=F("matter__stage__order"),
        ),
        ("stage_order", "matter_id"),
    )


def per_department(scope, filters, numbers):
    return _rows(
        _tasks(scope, filters, numbers).values(
            "department_id", name=F("department__name"), code=F("department__code")
        ),
        ("code",),
    )


def _rows(grouped, ordering):
    rows = list(grouped.annotate(**FIGURES).filter(count__gt=0).order_by(*ordering))
    for row in rows:
        row["on_time_rate"] = row["on_time"] / row["count"] if row["count"] else None
    return rows
