"""Working days: the national calendar with 调休, admin overrides, and a
loud refusal for a year without data."""

import datetime

import pytest

from stages.calendar import CalendarNotAvailable, WorkingCalendar, load_national_calendar
from stages.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def national_calendar():
    # Transactional tests elsewhere flush the tables the migration filled.
    load_national_calendar(range(2025, 2027))


def test_national_day_holiday_and_make_up_saturday():
    calendar = WorkingCalendar()
    start, end = datetime.date(2026, 9, 25), datetime.date(2026, 10, 15)
    assert calendar.working_days_between(start, end) == 10
    assert calendar.is_working_day(datetime.date(2026, 10, 10))  # 调休 Saturday
    assert not calendar.is_working_day(datetime.date(2026, 10, 1))


def test_adding_working_days_skips_the_holiday():
    calendar = WorkingCalendar()
    assert calendar.add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)


def test_admin_override_wins():
    CalendarDay.objects.create(
        date=datetime.date(2026, 11, 30), kind=CalendarDay.Kind.CLOSURE, note="停电检修"
    )
    calendar = WorkingCalendar()
    assert calendar.add_working_days(datetime.date(2026, 11, 27), 1) == datetime.date(2026, 12, 1)


def test_year_without_data_is_refused_loudly():
    with pytest.raises(CalendarNotAvailable, match="2027"):
        WorkingCalendar().is_working_day(datetime.date(2027, 3, 1))
