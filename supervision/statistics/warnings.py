"""Red (overdue) and yellow (near due) review tasks, by department.

Decided from the stored clock columns against today, like the sweep in
`approvals.services.warnings`: open (pending or reviewing), not paused,
red when `due_on` has passed, yellow when `yellow_on` has come (or the
sweep already warned). Reading the columns instead of `warned_*_at` shows
a task the moment it crosses, not after the next sweep."""

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Value,
    When,
)

from approvals.models import ReviewTask, ReviewTaskState

from ..workdays import WorkingDayNumber

OPEN = [ReviewTaskState.PENDING, ReviewTaskState.REVIEWING]


def _conditions(today):
    red = Q(due_on__lt=today)
    yellow = Q(due_on__gte=today) & (Q(yellow_on__lte=today) | Q(warned_yellow_at__isnull=False))
    return red, yellow


def warned_tasks(scope, filters, today):
    red, yellow = _conditions(today)
    tasks = scope.tasks(ReviewTask.objects.filter(state__in=OPEN, paused_since__isnull=True))
    if filters.stage_id:
        tasks = tasks.filter(matter__stage_id=filters.stage_id)
    if filters.department_id:
        tasks = tasks.filter(department_id=filters.department_id)
    if filters.level == "red":
        return tasks.filter(red)
    if filters.level == "yellow":
        return tasks.filter(yellow)
    return tasks.filter(red | yellow)


def by_department(scope, filters, today):
    """[{department_id, department_name, red, yellow}] worst first."""
    red, yellow = _conditions(today)
    return list(
        warned_tasks(scope, filters, today)
        .values("department_id", department_name=F("department__name"))
        .annotate(red=Count("pk", filter=red), yellow=Count("pk", filter=yellow))
        .order_by("-red", "-yellow", "department__code")
    )


def task_list(scope, filters, today, numbers=None, limit=None):
    """The warned tasks themselves, red first then by due date, with their
    open escalation (督办) if any, and the working days left (negative:
    overdue) when `numbers` is given."""
    red, _yellow = _conditions(today)
    # Red first, then by due date: the same as by due date alone, since
    # every red task is due before today and every yellow one after. The
    # plain order walks an index (supervision_task_warning_idx) and stops
    # at the limit; an expression in it sorted every warned task.
    urgency = ("due_on", "pk")
    tasks = warned_tasks(scope, filters, today)
    if limit:
        # Pick the first rows on the bare table (a top-N sort), then join
        # only those: sorting every warned row with its joins spilled to
        # disk at a few hundred thousand rows, and as an IN (subquery) the
        # planner joined all of them first. Two queries, always both run
        # (IN (0) when nothing is warned) so the count stays fixed.
        first = list(tasks.order_by(*urgency).values_list("pk", flat=True)[:limit])
        tasks = ReviewTask.objects.filter(pk__in=first or [0])
    tasks = (
        tasks.annotate(
            level=Case(
                When(red, then=Value("red")), default=Value("yellow"), output_field=CharField()
            ),
            # At most one open escalation per task (a unique constraint),
            # so the join never repeats a task.
            open_escalation=FilteredRelation(
                "escalations", condition=Q(escalations__resolved_at__isnull=True)
            ),
            escalation_id=F("open_escalation__id"),
            escalation_deadline=F("open_escalation__new_deadline"),
        )
        .select_related(
            "matter", "department", "jurisdiction", "application__project", "application__stage"
        )
        .order_by(*urgency)
    )
    if numbers is not None and numbers.number(today) is not None:
        tasks = tasks.annotate(
            working_days_left=WorkingDayNumber(F("due_on"), numbers=numbers)
            - Value(numbers.number(today))
        )
    return tasks


# A warned task as plain values, in this order (the list's columns).
ROW_FIELDS = (
    "level",
    "department__name",
    "matter__name",
    "application__project__name",
    "application__number",
    "jurisdiction__name",
    "state",
    "due_on",
    "working_days_left",
    "escalation_deadline",
)


def task_rows(scope, filters, today, numbers=None):
    """Every warned task as a tuple of `ROW_FIELDS`, in `task_list`'s order:
    files listing hundreds of thousands of tasks build no model instances
    (that was most of a report's time)."""
    tasks = task_list(scope, filters, today, numbers)
    if "working_days_left" not in tasks.query.annotations:
        tasks = tasks.annotate(working_days_left=Value(None, output_field=IntegerField()))
    return tasks.values_list(*ROW_FIELDS)


def row_of(task):
    """A task of `task_list` as the tuple `task_rows` reads."""
    return (
        task.level,
        task.department.name,
        task.matter.name,
        task.application.project.name,
        task.application.number,
        task.jurisdiction.name,
        task.state,
        task.due_on,
        getattr(task, "working_days_left", None),
        task.escalation_deadline,
    )
