"""Red (overdue) and yellow (near due) review tasks, by department.

Decided from the stored clock columns against today, like the sweep in
`approvals.services.warnings`: open (pending or reviewing), not paused,
red when `due_on` has passed, yellow when `yellow_on` has come (or the
sweep already warned). Reading the columns instead of `warned_*_at` shows
a task the moment it crosses, not after the next sweep."""

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When

from approvals.models import ReviewTask, ReviewTaskState

from ..models import Escalation
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
    """The warned tasks themselves, red first, with their escalation (督办)
    if any, and the working days overdue when `numbers` is given."""
    red, _yellow = _conditions(today)
    open_escalation = Escalation.objects.filter(task=OuterRef("pk"), resolved_at__isnull=True)
    tasks = (
        warned_tasks(scope, filters, today)
        .annotate(
            level=Case(
                When(red, then=Value("red")), default=Value("yellow"), output_field=CharField()
            ),
            escalation_id=Subquery(open_escalation.values("pk")[:1]),
            escalation_deadline=Subquery(open_escalation.values("new_deadline")[:1]),
        )
        .select_related(
            "matter", "department", "jurisdiction", "application__project", "application__stage"
        )
        .order_by(Case(When(red, then=Value(0)), default=Value(1)), "due_on", "pk")
    )
    if numbers is not None and numbers.number(today) is not None:
        # Negative when overdue: working days in (today, due_on].
        tasks = tasks.annotate(
            working_days_left=WorkingDayNumber(F("due_on"), numbers=numbers)
            - Value(numbers.number(today))
        )
    return tasks[:limit] if limit else tasks
