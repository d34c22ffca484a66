"""The duration and milestone summaries give exactly the live figures, and
what happened after they were built still counts; agent and intermediary
workloads against hand-computed fixtures."""

import datetime
import random

import pytest
import time_machine
from django.db import connection

from approvals.models import Delegation, Intermediary, IntermediaryEngagement
from portal.models import Role
from supervision import summaries
from supervision.filters import Filters
from supervision.models import DecisionSummary, ProjectMilestones
from supervision.periods import Period
from supervision.scope import Scope
from supervision.statistics import durations, target, workloads
from supervision.statistics.frequencies import Frequencies
from supervision.workdays import WorkingDayNumbers

from .factories import UserFactory
from .test_supervision_fixtures import (
    NOW,
    TODAY,
    application,
    calendar,  # noqa: F401  (fixture)
    day,
    decided_task,
    local,
    project,
)

pytestmark = pytest.mark.django_db
CITY = Scope(None, "全市")


def test_frequencies_give_postgresql_s_percentile_cont_and_average():
    rng = random.Random(11)
    for _ in range(40):
        values = [rng.randrange(0, 40) for _ in range(rng.randrange(1, 60))]
        frequencies = Frequencies()
        for value in values:
            frequencies.add(value, 0, 1)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY v), AVG(v)"
                " FROM unnest(%s::int[]) AS v",
                [values],
            )
            p90, average = cursor.fetchone()
        assert frequencies.percentile(0.9) == pytest.approx(p90, abs=1e-9)
        assert frequencies.average() == pytest.approx(float(average), abs=1e-9)


def _all_figures(period, numbers, scope=CITY):
    filters = Filters(period)
    labels = durations.Labels()
    return (
        durations.per_stage(scope, filters, numbers, labels),
        *durations.per_matter_and_department(scope, filters, numbers, labels),
    )


def test_the_summary_gives_exactly_the_live_figures(calendar):  # noqa: F811
    rng = random.Random(3)
    matters = ["drawing-review", "water-connection", "quality-safety", "power-connection"]
    for _ in range(60):
        started = day("2026-06-01") + datetime.timedelta(days=rng.randrange(0, 150))
        decided = started + datetime.timedelta(days=rng.randrange(0, 40))
        decided_task(
            rng.choice(matters),
            started.isoformat(),
            local(min(decided, TODAY).isoformat(), f"{rng.randrange(0, 24):02d}:30"),
            paused=rng.choice([0, 0, 0, 2]),
            project_=project(rng.choice(["341002", "341003"])),
        )
    application(
        "land-planning",
        project(),
        state="issued",
        accepted_at=local("2026-07-01"),
        clock_started_on=day("2026-07-01"),
        decided_at=local("2026-08-14"),
    )
    periods = [
        Period(day("2026-06-15"), TODAY),  # whole months and edge days
        Period(day("2026-09-01"), day("2026-09-30")),  # one whole month
        Period(day("2026-11-03"), day("2026-11-12")),  # days only
    ]
    with time_machine.travel(NOW, tick=False):
        numbers = {p: WorkingDayNumbers.for_period(calendar, p, TODAY) for p in periods}
        live = {p: _all_figures(p, numbers[p]) for p in periods}
        # Something to compare: tasks in every period, the application in the first.
        assert all(live[p][1] and live[p][2] for p in periods) and live[periods[0]][0]
        tunxi = Scope.of_jurisdiction(project("341002").jurisdiction)
        live_tunxi = _all_figures(periods[0], numbers[periods[0]], tunxi)
        assert summaries.refresh(TODAY)
        assert DecisionSummary.objects.filter(span="month").exists()
        for period in periods:
            assert _all_figures(period, numbers[period]) == live[period], period
        assert _all_figures(periods[0], numbers[periods[0]], tunxi) == live_tunxi
        assert not summaries.refresh(TODAY)  # once a day

        # Decided today, after the summary was built: read live.
        decided_task("drawing-review", "2026-11-02", local("2026-11-20", "09:00"))
        (row,) = [
            r
            for r in _all_figures(periods[0], numbers[periods[0]])[1]
            if r["name"].startswith("施工图联合审查")
        ]
        before = next(r for r in live[periods[0]][1] if r["name"].startswith("施工图联合审查"))
        assert row["count"] == before["count"] + 1


def _target_figures(period, numbers, scope=CITY):
    filters = Filters(period)
    listed = target.project_list(scope, filters, numbers, TODAY)
    return (
        target.summary(scope, filters, numbers, TODAY),
        [(p.pk, p.first_submitted, p.permit_decided, p.elapsed, p.status) for p in listed],
        [p.pk for p in target.project_list(scope, filters, numbers, TODAY, limit=3)],
    )


def test_the_milestones_summary_gives_exactly_the_live_target_figures(calendar):  # noqa: F811
    rng = random.Random(5)
    for _ in range(30):
        owner = project(rng.choice(["341002", "341003"]))
        first = day("2026-03-02") + datetime.timedelta(days=rng.randrange(0, 240))
        application("land-planning", owner, state="issued", submitted_at=local(first.isoformat()))
        if rng.random() < 0.3:  # a second, later stage-1 application
            application("land-planning", owner, state="withdrawn", submitted_at=local("2026-11-02"))
        if rng.random() < 0.4:
            permit = min(first + datetime.timedelta(days=rng.randrange(60, 200)), TODAY)
            application(
                "construction-permit",
                owner,
                state=rng.choice(["issued", "approved", "rejected"]),
                submitted_at=local(first.isoformat()),
                decided_at=local(permit.isoformat()),
            )
    periods = [Period(day("2026-10-22"), TODAY), Period(day("2026-06-01"), day("2026-06-30"))]
    tunxi = Scope.of_jurisdiction(project("341002").jurisdiction)
    with time_machine.travel(NOW, tick=False):
        numbers = {p: WorkingDayNumbers.for_period(calendar, p, TODAY) for p in periods}
        live = {p: _target_figures(p, numbers[p]) for p in periods}
        live_tunxi = _target_figures(periods[0], numbers[periods[0]], tunxi)
        assert live[periods[0]][0]["over"] and live[periods[0]][0]["completed"]
        assert summaries.refresh(TODAY)
        assert ProjectMilestones.objects.count() == 30
        for period in periods:
            assert _target_figures(period, numbers[period]) == live[period], period
        assert _target_figures(periods[0], numbers[periods[0]], tunxi) == live_tunxi

        # After the summary was built: a project's first submission, and a
        # permit granted to a summarised project.
        started = project()
        application("land-planning", started, state="submitted", submitted_at=NOW)
        waiting = ProjectMilestones.objects.filter(permit_decided__isnull=True).first()
        application(
            "construction-permit",
            waiting.project,
            state="approved",
            submitted_at=local("2026-11-02"),
            decided_at=NOW,
        )
        summary, listed, _first = _target_figures(periods[0], numbers[periods[0]])
        assert summary["completed"] == live[periods[0]][0]["completed"] + 1
        assert sum(summary[s] for s in target.STATUSES) == (
            sum(live[periods[0]][0][s] for s in target.STATUSES) + 1
        )
        summaries.refresh(TODAY, force=True)
        assert _target_figures(periods[0], numbers[periods[0]])[:2] == (summary, listed)


def _agent(name):
    return UserFactory(role=Role.AGENT, last_name=name, first_name="")


def _delegate(project_, agent, revoked=False):
    return Delegation.objects.create(
        project=project_,
        agent=agent,
        requested_by=project_.created_by,
        revoked_at=NOW if revoked else None,
    )


def test_agent_workloads(calendar):  # noqa: F811
    busy, idle = _agent("忙"), _agent("闲")
    first = project()
    application("land-planning", first, state="issued", submitted_at=local("2026-08-03"))
    application("engineering-permit", first, state="in_review", submitted_at=local("2026-11-02"))
    application("construction-permit", first)  # a draft: not counted
    second = project("341003")
    application("land-planning", second, state="correcting", submitted_at=local("2026-11-10"))
    _delegate(first, busy)
    _delegate(second, busy)
    _delegate(project(), idle)
    _delegate(project(), idle, revoked=True)
    filters = Filters(Period(day("2026-11-01"), TODAY))
    rows = {row["name"]: row for row in workloads.agents(CITY, filters)}
    assert {
        k: rows["忙"][k] for k in ("projects", "applications", "open", "submitted_in_period")
    } == {
        "projects": 2,
        "applications": 3,
        "open": 2,
        "submitted_in_period": 2,
    }
    assert (rows["闲"]["projects"], rows["闲"]["applications"]) == (1, 0)
    tunxi = Scope.of_jurisdiction(first.jurisdiction)
    (row,) = [r for r in workloads.agents(tunxi, filters) if r["name"] == "忙"]
    assert (row["projects"], row["open"]) == (1, 1)


def test_intermediary_workloads(calendar):  # noqa: F811
    firm = Intermediary.objects.create(name="演示测绘")
    other = Intermediary.objects.create(name="演示设计")
    owner = project()

    def engage(intermediary, started=None, finished=None, days=None, rating=None, **extra):
        return IntermediaryEngagement.objects.create(
            project=owner,
            service_type="surveying",
            need="测绘",
            intermediary=intermediary,
            picked_by=owner.created_by,
            started_on=started and day(started),
            finished_on=finished and day(finished),
            working_days=days,
            rating=rating,
            **extra,
        )

    engage(firm, "2026-11-02", "2026-11-09", 5, 4)
    engage(firm, "2026-10-20", "2026-11-16", 18, 5)
    engage(firm, "2026-11-05", "2026-11-19", 10)  # finished, not rated
    engage(firm, "2026-11-10")  # in service
    engage(firm, "2026-11-11", cancelled_at=NOW)  # cancelled: not counted
    engage(other)  # picked, not started: nothing to show
    filters = Filters(Period(day("2026-11-01"), TODAY))
    (row,) = workloads.intermediaries(CITY, filters)
    assert row["name"] == "演示测绘"
    assert (row["started"], row["finished"], row["in_service"], row["rated"]) == (3, 3, 1, 2)
    assert row["average_days"] == pytest.approx(11.0)  # (5 + 18 + 10) / 3
    assert row["average_rating"] == pytest.approx(4.5)
