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
  on_track — the rest (including permits granted within the target).

The two dates per project come from the milestones summary
(`models.ProjectMilestones`) and, where it has none, from the applications
submitted or decided since its edge; without a summary (the embedded
demo, or before the first rebuild) from all applications."""

import heapq
import itertools
import math
from collections import defaultdict

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from approvals.models import Application, ApplicationState, Project

from .. import summaries
from ..workdays import WorkingDayNumber

FIRST_STAGE_NUMBER = 1
PERMIT_STAGE_NUMBER = 3
GRANTED = [ApplicationState.APPROVED, ApplicationState.ISSUED, ApplicationState.DELIVERED]
STATUSES = ("on_track", "at_risk", "over")
CHUNK = 2000


def thresholds():
    target = settings.PORTAL_PROJECT_TARGET_WORKING_DAYS
    left = max(1, math.floor(target * settings.PORTAL_YELLOW_FRACTION_LEFT))
    return target, target - left


# Each date: the earliest of an application field over the applications
# matching the lookups.
MILESTONES = {
    "first_submitted": (
        "submitted_at",
        {"stage__is_construction": True, "stage__number": FIRST_STAGE_NUMBER},
    ),
    "permit_decided": (
        "decided_at",
        {
            "stage__is_construction": True,
            "stage__number": PERMIT_STAGE_NUMBER,
            "state__in": GRANTED,
        },
    ),
}


def _matching(lookups, prefix=""):
    return Q(**{prefix + key: value for key, value in lookups.items()})


def _measured_applications():
    return Application.objects.filter(
        stage__is_construction=True, stage__number__in=[FIRST_STAGE_NUMBER, PERMIT_STAGE_NUMBER]
    ).order_by()


def milestones_by_project():
    """{project_id, first_submitted, permit_decided} of every project with
    a stage-1 or stage-3 application (the summary's rebuild)."""
    return (
        _measured_applications()
        .values("project_id")
        .annotate(
            **{
                name: Min(field, filter=_matching(lookups))
                for name, (field, lookups) in MILESTONES.items()
            }
        )
    )


def _changed_since(edge):
    """Projects whose dates may differ from the summary's: a stage-1
    submission or a granted permit since its edge. Nothing else moves
    them: `submitted_at` is written once (an application never returns to
    draft) and a granted permit stays granted."""
    return (
        _measured_applications()
        .filter(Q(submitted_at__gte=edge) | Q(state__in=GRANTED, decided_at__gte=edge))
        .values("project_id")
    )


def _parts(projects, state):
    """Two querysets of projects with `first_submitted` and
    `permit_decided`: those the summary holds and that did not change since
    its edge, by a join (no grouping); the rest, from their applications
    (grouped; a day's worth). Without a summary: none, then every project.

    One grouped query over every project and application (as before the
    summary) took ~0.3 s per figure at 200,000 applications, and merging
    the summary with the applications inside one query either grouped
    every project again or, with a subquery per project, made PostgreSQL
    JIT-compile the plan (17 s)."""
    measured = projects.filter(
        applications__stage__is_construction=True,
        applications__stage__number__in=[FIRST_STAGE_NUMBER, PERMIT_STAGE_NUMBER],
    ).annotate(
        **{
            name: Min(f"applications__{field}", filter=_matching(lookups, "applications__"))
            for name, (field, lookups) in MILESTONES.items()
        }
    )
    if state is None:
        return [measured]
    changed = _changed_since(state.covers_before_moment)
    summarised = (
        projects.filter(supervision_milestones__isnull=False)
        .exclude(pk__in=changed)
        .annotate(**{name: F(f"supervision_milestones__{name}") for name in MILESTONES})
    )
    return [summarised, measured.filter(pk__in=changed)]


def _measured(projects, filters, numbers, today):
    target, at_risk_after = thresholds()
    first_of_period, _after = filters.period.bounds()
    today_number = numbers.number(today)
    projects = projects.filter(first_submitted__isnull=False).filter(
        Q(permit_decided__isnull=True) | Q(permit_decided__gte=first_of_period)
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


def measured_projects(scope, filters, numbers, today, reading=None):
    """The projects with `first_submitted`, `permit_decided`, `elapsed` and
    `status`, as one to two querysets (see `_parts`)."""
    state = (reading or summaries.Reading()).state
    return [
        _measured(part, filters, numbers, today)
        for part in _parts(scope.projects(Project.objects), state)
    ]


def summary(scope, filters, numbers, today, reading=None):
    """{status: count} plus completed and their average working days."""
    totals = dict.fromkeys([*STATUSES, "completed", "measured", "days"], 0)
    for part in measured_projects(scope, filters, numbers, today, reading):
        for key, value in _tally(part).items():
            totals[key] += value or 0
    # As AVG over the completed projects' working days (NULLs left out).
    measured, days = totals.pop("measured"), totals.pop("days")
    totals["completed_average"] = days / measured if measured else None
    target, at_risk_after = thresholds()
    return {**totals, "target": target, "at_risk_after": at_risk_after}


def _tally(part):
    """{status…, completed, measured, days} of one part. The summarised
    part is grouped by status and working days (a few hundred groups) and
    summed here: an aggregate per status repeated the whole measure per
    row. The parts measured from applications are grouped per project
    already, so they are aggregated over that grouping."""
    completed = Q(permit_decided__isnull=False)
    if part.query.group_by is not None:
        return part.aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in STATUSES},
            completed=Count("pk", filter=completed),
            measured=Count("elapsed", filter=completed),
            days=Sum("elapsed", filter=completed),
        )
    tally = defaultdict(int)
    groups = part.values(
        "status",
        "elapsed",
        completed=ExpressionWrapper(completed, output_field=BooleanField()),
    ).annotate(projects=Count("pk"))
    for group in groups.order_by():
        tally[group["status"]] += group["projects"]
        if group["completed"]:
            tally["completed"] += group["projects"]
            if group["elapsed"] is not None:
                tally["measured"] += group["projects"]
                tally["days"] += group["elapsed"] * group["projects"]
    return tally


def _longest_first(projects):
    return projects.filter(status__in=["over", "at_risk"]).order_by(
        F("elapsed").desc(nulls_first=True), "pk"
    )


def _order_key(row):
    elapsed = row["elapsed"]
    return (elapsed is not None, -(elapsed or 0), row["pk"])


def _merged(scope, filters, numbers, today, limit, reading):
    """The late projects' figures (dicts), longest first: up to `limit`
    (else all, streamed) from the measuring queries alone, merged here."""
    fields = ("pk", "first_submitted", "permit_decided", "elapsed", "status")
    parts = [
        _longest_first(part).values(*fields)
        for part in measured_projects(scope, filters, numbers, today, reading)
    ]
    if limit:
        parts = [list(part[:limit]) for part in parts]
    else:
        parts = [part.iterator(chunk_size=CHUNK) for part in parts]
    return heapq.merge(*parts, key=_order_key)


def project_list(scope, filters, numbers, today, limit=None, reading=None):
    """Projects over or at risk, longest first, loaded after their figures
    (in chunks when there is no limit): grouping with the joined
    enterprise and jurisdiction columns doubled the time at 200,000
    projects."""
    rows = _merged(scope, filters, numbers, today, limit, reading)
    if limit:
        return _load(list(rows)[:limit])
    return _load_all(rows)


def _load(rows):
    figures = {row["pk"]: row for row in rows}
    # Always run (IN (0) when empty) so the page's query count is fixed.
    projects = Project.objects.filter(pk__in=list(figures) or [0]).select_related(
        "jurisdiction", "enterprise"
    )
    for project in projects:
        for key, value in figures[project.pk].items():
            setattr(project, key, value)
    order = {pk: position for position, pk in enumerate(figures)}
    return sorted(projects, key=lambda project: order[project.pk])


def _load_all(rows):
    while batch := list(itertools.islice(rows, CHUNK)):
        yield from _load(batch)


def project_rows(scope, filters, numbers, today):
    """Every late project as (name, jurisdiction name, enterprise name,
    first submitted, permit decided, elapsed, status), in `project_list`'s
    order, without model instances (files list tens of thousands)."""
    rows = _merged(scope, filters, numbers, today, None, None)
    while batch := list(itertools.islice(rows, CHUNK)):
        names = {
            pk: names
            for pk, *names in Project.objects.filter(pk__in=[row["pk"] for row in batch])
            .values_list("pk", "name", "jurisdiction__name", "enterprise__name")
            .order_by()
        }
        for row in batch:
            yield (
                *names[row["pk"]],
                row["first_submitted"],
                row["permit_decided"],
                row["elapsed"],
                row["status"],
            )


def row_of(project):
    """A project of `project_list` as the tuple `project_rows` yields."""
    return (
        project.name,
        project.jurisdiction.name,
        project.enterprise.name,
        project.first_submitted,
        project.permit_decided,
        project.elapsed,
        project.status,
    )
