"""Projects against the 100-working-day promise (国办发〔2019〕11号: from
the first application to the construction permit, intermediary time
included — so pauses are NOT deducted here, unlike a single stage's clock).

A project counts once it has a stage-1 application submitted (the
national stage numbers: 1 立项用地规划许可, 3 施工许可; only construction
stages, so 开餐馆 and other things stay out). It is measured from the
first stage-1 submission to the construction-permit decision, or to today
while it has none. Shown: projects still on the way, and those whose
permit was decided in the period.

  over     — more than the target;
  at_risk  — still on the way with at most the yellow fraction of the
             target left (PORTAL_YELLOW_FRACTION_LEFT, as for every limit);
  on_track — the rest (including permits granted within the target)."""

import math

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from approvals.models import ApplicationState, Project

from ..workdays import WorkingDayNumber

FIRST_STAGE_NUMBER = 1
PERMIT_STAGE_NUMBER = 3
GRANTED = [ApplicationState.APPROVED, ApplicationState.ISSUED, ApplicationState.DELIVERED]
STATUSES = ("on_track", "at_risk", "over")


def thresholds():
    target = settings.PORTAL_PROJECT_TARGET_WORKING_DAYS
    left = max(1, math.floor(target * settings.PORTAL_YELLOW_FRACTION_LEFT))
    return target, target - left


def measured_projects(scope, filters, numbers, today):
    target, at_risk_after = thresholds()
    first_of_period, _after = filters.period.bounds()
    construction = Q(applications__stage__is_construction=True)
    first_stage = construction & Q(applications__stage__number=FIRST_STAGE_NUMBER)
    permit = (
        construction
        & Q(applications__stage__number=PERMIT_STAGE_NUMBER)
        & Q(applications__state__in=GRANTED)
    )
    today_number = numbers.number(today)
    projects = (
        scope.projects(Project.objects)
        .filter(
            applications__stage__is_construction=True,
            applications__stage__number__in=[FIRST_STAGE_NUMBER, PERMIT_STAGE_NUMBER],
        )
        .annotate(
            first_submitted=Min("applications__submitted_at", filter=first_stage),
            permit_decided=Min("applications__decided_at", filter=permit),
        )
        .filter(first_submitted__isnull=False)
        .filter(Q(permit_decided__isnull=True) | Q(permit_decided__gte=first_of_period))
    )
    start = WorkingDayNumber(TruncDate("first_submitted"), numbers=numbers)
    end = Case(
        When(permit_decided__isnull=True, then=Value(today_number)),
        default=WorkingDayNumber(TruncDate("permit_decided"), numbers=numbers),
    )
    return projects.annotate(
        elapsed=ExpressionWrapper(end - start, output_field=IntegerField())
    ).annotate(
        # NULL: the first submission lies before the calendar span (years
        # ago), so the project is certainly over.
        status=Case(
            When(elapsed__isnull=True, then=Value("over")),
            When(elapsed__gt=target, then=Value("over")),
            When(permit_decided__isnull=True, elapsed__gt=at_risk_after, then=Value("at_risk")),
            default=Value("on_track"),
            output_field=CharField(),
        )
    )


def summary(scope, filters, numbers, today):
    """{status: count} plus completed and their average working days."""
    figures = measured_projects(scope, filters, numbers, today).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in STATUSES},
        completed=Count("pk", filter=Q(permit_decided__isnull=False)),
        completed_average=Avg("elapsed", filter=Q(permit_decided__isnull=False)),
    )
    target, at_risk_after = thresholds()
    return {**figures, "target": target, "at_risk_after": at_risk_after}


def project_list(scope, filters, numbers, today, limit=None):
    """Projects over or at risk, longest first. With a limit, the first ids
    come from the grouped query alone and the projects are loaded after:
    grouping with the joined enterprise and jurisdiction columns doubled
    the time at 200,000 projects."""
    late = (
        measured_projects(scope, filters, numbers, today)
        .filter(status__in=["over", "at_risk"])
        .order_by(F("elapsed").desc(nulls_first=True), "pk")
    )
    if not limit:
        return late.select_related("jurisdiction", "enterprise")
    figures = {
        row["pk"]: row
        for row in late.values("pk", "first_submitted", "permit_decided", "elapsed", "status")[
            :limit
        ]
    }
    # Always run (IN (0) when empty) so the page's query count is fixed.
    projects = Project.objects.filter(pk__in=list(figures) or [0]).select_related(
        "jurisdiction", "enterprise"
    )
    for project in projects:
        for key, value in figures[project.pk].items():
            setattr(project, key, value)
    order = {pk: position for position, pk in enumerate(figures)}
    return sorted(projects, key=lambda project: order[project.pk])
