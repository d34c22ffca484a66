"""Working-day arithmetic as properties over the real national calendar
(2024–2026 as loaded from chinese-calendar), plus the cases that pin the
data down: the 2026 National Day week, its 调休 Saturday, an admin closure
surviving a reload, and a loud refusal for a year with no data."""

import datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stages.calendar import CalendarNotAvailable, WorkingCalendar, load_national_calendar
from stages.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

YEARS = range(2024, 2027)
LAST_LOADED_DAY = datetime.date(2026, 12, 31)
dates = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2026, 10, 31))
counts = st.integers(min_value=0, max_value=60)
examples = settings(
    max_examples=150,
    deadline=None,
    database=None,  # keep no example database in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def ensure_loaded():
    """Transactional tests elsewhere flush the tables the migration filled."""
    if CalendarYear.objects.filter(year__in=YEARS).count() < len(YEARS):
        load_national_calendar(YEARS)


@pytest.fixture
def calendar():
    ensure_loaded()
    return WorkingCalendar()


def left_in_loaded_years(calendar, day):
    return calendar.working_days_between(day, LAST_LOADED_DAY)


@examples
@given(start=dates, n=counts)
def test_adding_working_days_lands_on_a_working_day(calendar, start, n):
    if n > left_in_loaded_years(calendar, start):
        with pytest.raises(CalendarNotAvailable):
            calendar.add_working_days(start, n)
        return
    end = calendar.add_working_days(start, n)
    assert end >= start
    if n > 0:
        assert end > start
        assert calendar.is_working_day(end)
    else:
        assert end == start


@examples
@given(start=dates, n=counts)
def test_counting_undoes_adding(calendar, start, n):
    assume(n <= left_in_loaded_years(calendar, start))
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@examples
@given(start=dates, m=counts, n=counts)
def test_adding_is_monotonic_in_the_count(calendar, start, m, n):
    m, n = sorted((m, n))
    assume(n <= left_in_loaded_years(calendar, start))
    earlier, later = calendar.add_working_days(start, m), calendar.add_working_days(start, n)
    assert earlier <= later
    if m < n:
        assert earlier < later


@examples
@given(start=dates, m=counts, n=counts)
def test_adding_in_two_steps_equals_adding_the_sum(calendar, start, m, n):
    assume(m + n <= left_in_loaded_years(calendar, start))
    in_two_steps = calendar.add_working_days(calendar.add_working_days(start, m), n)
    assert in_two_steps == calendar.add_working_days(start, m + n)


@examples
@given(days=st.lists(dates, min_size=3, max_size=3))
def test_counts_split_at_any_midpoint_add_up(calendar, days):
    start, middle, end = sorted(days)
    assert calendar.working_days_between(start, end) == (
        calendar.working_days_between(start, middle) + calendar.working_days_between(middle, end)
    )
    assert calendar.working_days_between(end, start) == 0


def test_national_day_2026_holds_ten_working_days_with_the_make_up_saturday(calendar):
    start, end = datetime.date(2026, 9, 25), datetime.date(2026, 10, 15)
    assert calendar.working_days_between(start, end) == 10
    span = [start + datetime.timedelta(days=k) for k in range(1, (end - start).days + 1)]
    working = [day for day in span if calendar.is_working_day(day)]
    assert len(working) == 10
    make_up = datetime.date(2026, 10, 10)
    assert make_up.weekday() == 5
    assert make_up in working
    assert CalendarDay.objects.get(date=make_up).kind == CalendarDay.Kind.MAKE_UP


def test_national_day_week_2026_is_holiday(calendar):
    week = [datetime.date(2026, 10, day) for day in range(1, 8)]
    assert not any(calendar.is_working_day(day) for day in week)
    weekday_rows = CalendarDay.objects.filter(date__in=[d for d in week if d.weekday() < 5])
    assert weekday_rows.count() == 5
    assert set(weekday_rows.values_list("kind", "source")) == {("holiday", "national")}
    assert calendar.add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)


def test_admin_closure_makes_a_weekday_non_working_and_survives_a_reload():
    ensure_loaded()
    closed = datetime.date(2026, 11, 30)
    assert closed.weekday() == 0
    assert WorkingCalendar().is_working_day(closed)

    CalendarDay.objects.create(date=closed, kind="closure", source="admin", note="系统停机维护")
    assert not WorkingCalendar().is_working_day(closed)

    assert load_national_calendar([2026]) == [2026]
    row = CalendarDay.objects.get(date=closed)
    assert (row.kind, row.source, row.is_working_day) == ("closure", "admin", False)
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(closed)
    assert not calendar.is_working_day(datetime.date(2026, 10, 1))  # national rows reloaded
    assert calendar.add_working_days(datetime.date(2026, 11, 27), 1) == datetime.date(2026, 12, 1)


def test_a_date_in_2027_is_refused_loudly():
    ensure_loaded()
    CalendarYear.objects.filter(year=2027).delete()  # no-op while the package stops at 2026
    calendar = WorkingCalendar()
    with pytest.raises(CalendarNotAvailable, match="2027"):
        calendar.is_working_day(datetime.date(2027, 1, 4))
    with pytest.raises(CalendarNotAvailable):
        calendar.add_working_days(datetime.date(2026, 12, 30), 5)
