"""Working-day arithmetic (行政许可法 §82: limits count working days).

Reads only the calendar tables (CalendarYear / CalendarDay), which
`load_national_calendar` fills from the chinese-calendar package and admins
adjust. A date in a year that has not been loaded is refused loudly.
"""

import datetime

from django.utils.translation import gettext as _

from .models import CalendarDay, CalendarYear


class CalendarNotAvailable(Exception):
    pass


class WorkingCalendar:
    """Loads the exceptions once per instance; use one per request or task."""

    def __init__(self):
        self._years = set(CalendarYear.objects.values_list("year", flat=True))
        self._exceptions = dict(CalendarDay.objects.values_list("date", "is_working_day"))

    def is_working_day(self, day: datetime.date) -> bool:
        if day.year not in self._years:
            raise CalendarNotAvailable(
                _("%(year)d 年的工作日历尚未导入，请管理员先维护工作日历。") % {"year": day.year}
            )
        if day in self._exceptions:
            return self._exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date on which `days` working days after `start` have elapsed
        (the start day itself does not count)."""
        day = start
        remaining = days
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def load_national_calendar(years, day_model=CalendarDay, year_model=CalendarYear):
    """Store each year's holidays and make-up days from chinese-calendar.
    Admin overrides (source=admin) are kept. Returns the years loaded.
    Migrations pass their historical models."""
    import chinese_calendar

    CalendarDay, CalendarYear = day_model, year_model

    loaded = []
    for year in years:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        try:
            chinese_calendar.is_workday(start)
            holidays = chinese_calendar.get_holidays(start, end, include_weekends=False)
        except NotImplementedError:
            continue
        make_up = [
            day
            for day in (start + datetime.timedelta(n) for n in range((end - start).days + 1))
            if day.weekday() >= 5 and chinese_calendar.is_workday(day)
        ]
        admin_days = set(
            CalendarDay.objects.filter(date__year=year, source="admin").values_list(
                "date", flat=True
            )
        )
        CalendarDay.objects.filter(date__year=year, source="national").delete()
        rows = [
            CalendarDay(
                date=day,
                is_working_day=False,
                kind="holiday",
                source="national",
                note=_holiday_name(chinese_calendar, day),
            )
            for day in holidays
            if day not in admin_days
        ] + [
            CalendarDay(
                date=day,
                is_working_day=True,
                kind="make_up",
                source="national",
                note="调休上班",
            )
            for day in make_up
            if day not in admin_days
        ]
        CalendarDay.objects.bulk_create(rows)
        CalendarYear.objects.update_or_create(
            year=year, defaults={"source": f"chinese-calendar {chinese_calendar.__version__}"}
        )
        loaded.append(year)
    return loaded


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _holiday_name(chinese_calendar, day):
    _on_holiday, english = chinese_calendar.get_holiday_detail(day)
    return HOLIDAY_NAMES.get(english, english or "")


def subtract_working_days(calendar, end, days):
    """The date `days` working days before `end` (inverse of add_working_days)."""
    day = end
    remaining = days
    while remaining > 0:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day
