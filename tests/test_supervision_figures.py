"""The figures against hand-computed fixtures: working days across the
National Day holiday, averages and the 90th percentile (percentile_cont:
linear interpolation), warnings, the 100-working-day target, the window."""

import datetime
import random

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stages.calendar import CalendarNotAvailable, WorkingCalendar, subtract_working_days
from stages.models import CalendarYear, Jurisdiction
from supervision import summaries
from supervision.filters import Filters
from supervision.periods import Period
from supervision.scope import Scope
from supervision.statistics import counts, durations, target, warnings, window
from supervision.workdays import WorkingDayNumbers

from .test_supervision_fixtures import (
    TODAY,
    application,
    calendar,  # noqa: F401  (fixture)
    day,
    decided_task,
    load_hall,
    local,
    project,
    task,
    visit,
)

pytestmark = pytest.mark.django_db

CITY = Scope(None, "全市")
PERIOD = Period(day("2026-10-01"), TODAY)
FILTERS = Filters(PERIOD)


@pytest.fixture
def numbers(calendar):  # noqa: F811
    return WorkingDayNumbers.for_period(calendar, PERIOD, TODAY)


def test_numbers_agree_with_the_calendar_on_any_pair_of_days(calendar):  # noqa: F811
    span = WorkingDayNumbers(calendar, day("2024-01-01"), day("2026-12-31"))
    rng = random.Random(7)
    for _ in range(300):
        start = day("2024-01-01") + datetime.timedelta(days=rng.randrange(0, 1090))
        end = min(start + datetime.timedelta(days=rng.randrange(0, 60)), day("2026-12-31"))
        expected = calendar.working_days_between(start, end)
        assert span.number(end) - span.number(start) == expected, (start, end)


def test_the_span_reaches_back_five_years_or_to_the_first_loaded_year(calendar):  # noqa: F811
    span = WorkingDayNumbers.for_period(calendar, PERIOD, TODAY)
    assert span.first == day("2021-10-01")
    CalendarYear.objects.filter(year__lt=2024).delete()
    span = WorkingDayNumbers.for_period(WorkingCalendar(), PERIOD, TODAY)
    assert span.first == day("2024-01-01")
    assert span.number(day("2023-12-29")) is None


def test_a_period_without_a_calendar_is_refused(calendar):  # noqa: F811
    CalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(CalendarNotAvailable):
        WorkingDayNumbers.for_period(WorkingCalendar(), PERIOD, TODAY)


def test_working_days_across_the_national_day_holiday_less_the_paused_days(numbers):
    # 2026-09-25 → 2026-10-15: 10 working days (Oct 1–8 off, Oct 10 worked).
    decided_task("fire-design-review", "2026-09-25", local("2026-10-15", "16:00"), paused=3)

    (row,) = durations.per_matter(CITY, FILTERS, numbers, durations.Labels())
    assert row["name"] == "特殊建设工程消防设计审查"
    assert (row["count"], row["average"], row["p90"], row["longest"]) == (1, 7, 7, 7)


def test_average_and_90th_percentile_per_matter_and_department(numbers):
    # Clock from Monday 2 November: decided after 2, 4, 6, 8, 10 working days.
    for decided in ("2026-11-04", "2026-11-06", "2026-11-10", "2026-11-12", "2026-11-16"):
        decided_task("drawing-review", "2026-11-02", local(decided))
    # The same department (住建局), another matter: 10 − 3 paused = 7.
    decided_task("fire-design-review", "2026-09-25", local("2026-10-15"), paused=3)
    # Decided before the period, and not yet decided: neither counts.
    decided_task("drawing-review", "2026-09-01", local("2026-09-30"))
    undecided = application(state="in_review")
    task(undecided, "quality-safety", state="reviewing", clock_started_on=day("2026-11-02"))

    by_matter = {
        row["name"]: row for row in durations.per_matter(CITY, FILTERS, numbers, durations.Labels())
    }
    drawing = by_matter["施工图联合审查（含消防、人防技术审查）"]
    assert drawing["count"] == 5
    assert drawing["average"] == 6  # (2+4+6+8+10) / 5
    assert drawing["p90"] == pytest.approx(9.2)  # 8 + 0.6 × (10 − 8), at 0.9 × 4 = 3.6
    assert drawing["longest"] == 10
    assert drawing["limit"] == 8
    assert drawing["on_time"] == 5  # due 2026-12-31

    (housing,) = durations.per_department(CITY, FILTERS, numbers, durations.Labels())
    assert housing["name"] == "住房和城乡建设局"
    assert housing["count"] == 6
    assert housing["average"] == pytest.approx(37 / 6)
    # Sorted 2, 4, 6, 7, 8, 10: at 0.9 × 5 = 4.5, halfway from 8 to 10.
    assert housing["p90"] == pytest.approx(9.0)


def test_a_decision_just_after_midnight_counts_on_the_local_day(numbers):
    # 00:30 in Beijing is still the previous day in UTC: 2 working days, not 1.
    decided_task("drawing-review", "2026-11-02", local("2026-11-04", "00:30"))
    (row,) = durations.per_matter(CITY, FILTERS, numbers, durations.Labels())
    assert row["average"] == 2


def test_stage_durations_and_on_time_rate(numbers):
    application(
        state="issued",
        clock_started_on=day("2026-09-25"),
        accepted_at=local("2026-09-25"),
        decided_at=local("2026-10-15"),
        due_on=day("2026-10-16"),
    )  # 10 working days, on time
    application(
        state="approved",
        clock_started_on=day("2026-11-02"),
        accepted_at=local("2026-11-02"),
        decided_at=local("2026-11-16"),
        paused_working_days=2,
        due_on=day("2026-11-13"),
    )  # 10 − 2 = 8, decided after its due date
    # Seeded without a clock start: measured from acceptance (2 days).
    application(state="approved", accepted_at=local("2026-11-02"), decided_at=local("2026-11-04"))
    # Refused at the window: a decision, but no clock ever ran.
    application(state="refused", decided_at=local("2026-11-03"))

    (row,) = durations.per_stage(CITY, FILTERS, numbers, durations.Labels())
    assert row["name"] == "施工许可"
    assert row["count"] == 3
    assert row["average"] == pytest.approx(20 / 3)
    assert row["p90"] == pytest.approx(9.6)  # sorted 2, 8, 10: 8 + 0.8 × 2 at 1.8
    assert row["on_time"] == 1
    # NULL due date counts as not on time; the rate is of measured rows.
    assert row["on_time_rate"] == pytest.approx(1 / 3)


def test_counts_by_stage_and_state_with_the_period_flow(calendar):  # noqa: F811
    application(state="draft")  # not shown
    application(state="submitted", submitted_at=local("2026-11-18"))
    application(state="submitted", submitted_at=local("2026-09-18"))  # before the period
    application(
        state="in_review",
        submitted_at=local("2026-11-02"),
        accepted_at=local("2026-11-03"),
        due_on=day("2026-11-19"),
    )  # overdue
    application(
        state="issued",
        submitted_at=local("2026-10-08"),
        accepted_at=local("2026-10-09"),
        decided_at=local("2026-10-20"),
    )
    application("land-planning", state="correcting", submitted_at=local("2026-11-10"))

    rows = {row["stage_name"]: row for row in counts.stage_state_counts(CITY, FILTERS, TODAY)}
    assert list(rows) == ["立项用地规划许可", "施工许可"]
    permit = rows["施工许可"]
    assert permit["total"] == 4
    assert permit["states"]["submitted"] == 2
    assert permit["states"]["in_review"] == 1
    assert permit["states"]["issued"] == 1
    assert permit["groups"] == {"waiting": 2, "reviewing": 1, "done": 1, "closed": 0}
    assert (
        permit["submitted_in_period"],
        permit["accepted_in_period"],
        permit["decided_in_period"],
        permit["overdue"],
    ) == (3, 2, 1, 1)
    assert rows["立项用地规划许可"]["groups"]["waiting"] == 1


def test_red_and_yellow_by_department_and_scope(numbers):
    owner = application(state="in_review")
    red = task(owner, "drawing-review", state="pending", due_on=day("2026-11-18"))
    task(
        owner,
        "water-connection",
        state="reviewing",
        due_on=day("2026-11-24"),
        yellow_on=day("2026-11-19"),
    )  # yellow
    task(
        owner,
        "power-connection",
        state="reviewing",
        due_on=day("2026-12-10"),
        yellow_on=day("2026-12-04"),
    )  # neither
    task(
        owner,
        "quality-safety",
        state="reviewing",
        due_on=day("2026-11-02"),
        paused_since=day("2026-11-01"),
    )  # paused: its due date will move
    task(owner, "fire-design-review", state="needs_supplement", due_on=day("2026-11-02"))
    task(owner, "construction-permit", state="approved", due_on=day("2026-11-02"))
    elsewhere = application(project_=project("341003"), state="in_review")
    task(elsewhere, "drawing-review", state="pending", due_on=day("2026-11-02"))

    rows = warnings.by_department(CITY, FILTERS, TODAY)
    assert [(r["department_name"], r["red"], r["yellow"]) for r in rows] == [
        ("住房和城乡建设局", 2, 0),
        ("供水公司", 0, 1),
    ]
    tunxi = Scope(Jurisdiction.objects.get(code="341002").pk, "屯溪区")
    listed = list(warnings.task_list(tunxi, FILTERS, TODAY, numbers))
    assert (listed[0].pk, listed[0].level) == (red.pk, "red")
    assert [t.level for t in listed] == ["red", "yellow"]
    # Due Wednesday 18th, today Friday 20th: two working days over.
    assert listed[0].working_days_left == -2
    assert listed[1].working_days_left == 2  # Mon 23rd, Tue 24th
    only_yellow = Filters(PERIOD, level="yellow")
    assert [t.level for t in warnings.task_list(CITY, only_yellow, TODAY)] == ["yellow"]


def test_projects_against_the_100_working_day_target(numbers, calendar):  # noqa: F811
    def started(working_days_ago, before=TODAY):
        return local(subtract_working_days(calendar, before, working_days_ago).isoformat())

    over = project()
    application("land-planning", over, state="issued", submitted_at=started(120))
    at_risk = project()
    application("land-planning", at_risk, state="issued", submitted_at=started(85))
    on_track = project()
    application("land-planning", on_track, state="in_review", submitted_at=started(10))
    # Permit granted in the period, 90 working days after the first submission.
    done = project()
    permit_day = day("2026-11-10")
    application("land-planning", done, state="issued", submitted_at=started(90, permit_day))
    application(
        "construction-permit",
        done,
        state="issued",
        submitted_at=local("2026-10-20"),
        decided_at=local(permit_day.isoformat()),
    )
    # Permit granted before the period: out of this picture.
    earlier = project()
    application(
        "land-planning", earlier, state="issued", submitted_at=started(60, day("2026-09-01"))
    )
    application("construction-permit", earlier, state="issued", decided_at=local("2026-09-01"))
    # Withdrawn before submission / stage 3 only: never started the count.
    application("construction-permit", project(), state="in_review", submitted_at=started(200))

    reading = summaries.Reading()
    assert reading.state is None  # no summary: every project from its applications
    with CaptureQueriesContext(connection) as queries:
        summary = target.summary(CITY, FILTERS, numbers, TODAY, reading)
    assert len(queries) == 1
    assert {k: summary[k] for k in ("on_track", "at_risk", "over", "completed")} == {
        "on_track": 2,
        "at_risk": 1,
        "over": 1,
        "completed": 1,
    }
    assert summary["completed_average"] == 90
    assert (summary["target"], summary["at_risk_after"]) == (100, 80)
    listed = list(target.project_list(CITY, FILTERS, numbers, TODAY))
    assert [(p.pk, p.elapsed, p.status) for p in listed] == [
        (over.pk, 120, "over"),
        (at_risk.pk, 85, "at_risk"),
    ]


def test_window_figures_over_the_period(calendar):  # noqa: F811
    load_hall()
    # Waits 5, 10, 15 minutes on two days; serving 10 and 20; one no-show.
    visit("A", "2026-11-02", 5, 10)
    visit("A", "2026-11-03", 10, 20)
    visit("A", "2026-11-03", 15)
    visit("A", "2026-09-01", 90, 90)  # before the period
    visit("C", "2026-11-02", 30, 30, jurisdiction_code="341002")

    rows = window.window_figures(CITY, FILTERS)
    assert [(r["jurisdiction_name"], r["prefix"]) for r in rows] == [
        ("黄山市本级", "A"),
        ("屯溪区", "C"),
    ]
    city = rows[0]
    minute = datetime.timedelta(minutes=1)
    assert (city["taken"], city["called"], city["served"], city["no_show"]) == (3, 3, 2, 1)
    assert city["average_wait"] == 10 * minute
    assert city["p90_wait"] == 14 * minute  # 10 + 0.8 × 5, at 0.9 × 2 = 1.8
    assert city["average_serve"] == 15 * minute
    tunxi = Scope(Jurisdiction.objects.get(code="341002").pk, "屯溪区")
    assert [r["prefix"] for r in window.window_figures(tunxi, FILTERS)] == ["C"]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(local(TODAY.isoformat()), tick=False):
        yield
