"""The summaries (`models.DecisionSummary`, `models.ProjectMilestones`):
rebuilding them, and reading the duration summary together with the live
rows it does not cover yet.

Rebuilt whole, at most once a day, by the hourly report beat before it
queues the reports (which then read them too). A full rebuild over every
decision (a million review tasks: seconds) keeps it simple and takes in
calendar corrections; readers see the old rows until it commits. Only on
PostgreSQL: elsewhere (the embedded demo) every figure is read live."""

import datetime
import logging

from django.db import connection, transaction
from django.db.models import BigIntegerField, Value
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import cached_property

from stages.calendar import CalendarNotAvailable, WorkingCalendar

from .models import DecisionSummary, ProjectMilestones, SummaryState
from .workdays import LOOK_BACK_YEARS, WorkingDayNumbers

logger = logging.getLogger(__name__)

TABLE = DecisionSummary._meta.db_table
STATE_TABLE = SummaryState._meta.db_table
MILESTONES_TABLE = ProjectMilestones._meta.db_table
COLUMNS = (
    "kind, span, decided_on, jurisdiction_id, stage_id, matter_id, department_id, elapsed,"
    " items, on_time_items"
)


def refresh(today=None, force=False):
    """Summarise every decision before today; False when already done or
    not possible (not PostgreSQL, or no calendar for today)."""
    if connection.vendor != "postgresql":
        return False
    today = today or timezone.localdate()
    try:
        numbers = WorkingDayNumbers(
            WorkingCalendar(),
            today.replace(year=today.year - LOOK_BACK_YEARS - 1, day=1),
            today,
            must_cover_from=today,
        )
    except CalendarNotAvailable as error:
        logger.warning("duration summary not refreshed: %s", error)
        return False
    edge = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    with transaction.atomic(), connection.cursor() as cursor:
        # One rebuild at a time: a second one waits, then finds it done.
        cursor.execute(f"LOCK TABLE {STATE_TABLE} IN EXCLUSIVE MODE")
        state = SummaryState.objects.first()
        if state and state.covers_before >= today and not force:
            return False
        cursor.execute(f"DELETE FROM {TABLE}")
        # Written in the order they are read (kind, span, day): a month of
        # day rows then sits on a few hundred pages instead of thousands.
        for kind, measured in _decided_before(edge, numbers):
            sql, params = measured.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {TABLE} ({COLUMNS})"
                " SELECT %s, 'day', decided_on, jurisdiction_key, stage_key, matter_key::bigint,"
                " department_key::bigint, elapsed, count(*), count(*) FILTER (WHERE on_time)"
                f" FROM ({sql} OFFSET 0) AS measured WHERE elapsed IS NOT NULL"
                " GROUP BY 3, 4, 5, 6, 7, 8 ORDER BY 3",
                [kind, *params],
            )
        cursor.execute(
            f"INSERT INTO {TABLE} ({COLUMNS})"
            " SELECT kind, 'month', date_trunc('month', decided_on)::date, jurisdiction_id,"
            " stage_id, matter_id, department_id, elapsed, sum(items), sum(on_time_items)"
            f" FROM {TABLE} WHERE decided_on < %s GROUP BY 1, 3, 4, 5, 6, 7, 8 ORDER BY 1, 3",
            [today.replace(day=1)],
        )
        _rebuild_milestones(cursor)
        SummaryState.objects.all().delete()
        SummaryState.objects.create(
            covers_before=today, covers_before_moment=edge, refreshed_at=timezone.now()
        )
    return True


def _rebuild_milestones(cursor):
    from .statistics import target

    sql, params = target.milestones_by_project().query.sql_with_params()
    cursor.execute(f"DELETE FROM {MILESTONES_TABLE}")
    cursor.execute(
        f"INSERT INTO {MILESTONES_TABLE} (project_id, first_submitted, permit_decided)"
        f" SELECT project_id, first_submitted, permit_decided FROM ({sql}) AS milestones"
        " WHERE first_submitted IS NOT NULL",
        params,
    )


class Reading:
    """How far the summaries reach, read once for a set of figures."""

    @cached_property
    def state(self):
        return SummaryState.objects.first()


def _decided_before(edge, numbers):
    from approvals.models import Application, ReviewTask

    from .statistics import durations

    decided_on = TruncDate("decided_at")
    applications = Application.objects.filter(
        state__in=durations.DECIDED_APPLICATIONS, decided_at__lt=edge
    )
    yield (
        DecisionSummary.Kind.APPLICATION,
        durations._measured(
            applications,
            numbers,
            durations.APPLICATION_START,
            {
                "decided_on": decided_on,
                "jurisdiction_key": "project__jurisdiction_id",
                "stage_key": "stage_id",
                "matter_key": Value(None, output_field=BigIntegerField()),
                "department_key": Value(None, output_field=BigIntegerField()),
            },
        ),
    )
    tasks = ReviewTask.objects.filter(state__in=durations.DECIDED_TASKS, decided_at__lt=edge)
    yield (
        DecisionSummary.Kind.TASK,
        durations._measured(
            tasks,
            numbers,
            durations.TASK_START,
            {
                "decided_on": decided_on,
                "jurisdiction_key": "jurisdiction_id",
                "stage_key": "matter__stage_id",
                "matter_key": "matter_id",
                "department_key": "department_id",
            },
        ),
    )


def _covered_ranges(period, covers_before):
    """(months, days): the first days of the whole months of `period` the
    summary covers, and the (first, last) day ranges of it covered by day
    rows only."""
    last = min(period.end, covers_before - datetime.timedelta(days=1))
    if last < period.start:
        return [], []
    months, day = [], period.start
    first_month = day if day.day == 1 else _next_month(day)
    month = first_month
    while _next_month(month) - datetime.timedelta(days=1) <= last:
        months.append(month)
        month = _next_month(month)
    if not months:
        return [], [(period.start, last)]
    days = []
    if period.start < months[0]:
        days.append((period.start, months[0] - datetime.timedelta(days=1)))
    if month <= last:
        days.append((month, last))
    return months, days


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def frequencies(kind, measured, groups, scope, filters, reading=None):
    """Rows of (group columns…, elapsed, on_time items, items) over the
    decisions of the period in scope: summary rows for the days it covers,
    `measured` (a `durations._measured` queryset over the period) for the
    rest. One query, plus the summary's edge unless `reading` has it."""
    state = (reading or Reading()).state
    live = measured
    months, days = [], []
    if state is not None:
        live = measured.filter(decided_at__gte=state.covers_before_moment)
        months, days = _covered_ranges(filters.period, state.covers_before)
    live_sql, live_params = live.query.sql_with_params()
    keys = ", ".join(groups)
    ranges = ["(span = 'month' AND decided_on = ANY(%s))"] if months else []
    params = [kind, months] if months else [kind]
    for first, last in days:
        ranges.append("(span = 'day' AND decided_on BETWEEN %s AND %s)")
        params += [first, last]
    conditions = ["kind = %s", f"({' OR '.join(ranges) or 'FALSE'})"]
    for column, value in (
        ("jurisdiction_id", scope.jurisdiction_id),
        ("stage_id", filters.stage_id),
        ("department_id", filters.department_id if kind == DecisionSummary.Kind.TASK else None),
    ):
        if value:
            conditions.append(f"{column} = %s")
            params.append(value)
    summarised = ", ".join(f"{column} AS {alias}" for alias, column in groups.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {keys}, elapsed, SUM(on_time), SUM(items) FROM ("
            f" SELECT {summarised}, elapsed, on_time_items AS on_time, items FROM {TABLE}"
            f" WHERE {' AND '.join(conditions)}"
            f" UNION ALL SELECT {keys}, elapsed, CASE WHEN on_time THEN 1 ELSE 0 END, 1"
            f" FROM ({live_sql}) AS live WHERE elapsed IS NOT NULL"
            f") AS decided GROUP BY {keys}, elapsed",
            [*params, *live_params],
        )
        return cursor.fetchall()
