"""Working-day arithmetic (行政许可法 §82: limits count working days).

The national calendar (statutory holidays and 调休 make-up days) comes from
chinese-calendar; admin overrides in CalendarDay win. A year the calendar
does not cover is refused loudly rather than guessed.
"""

import datetime

import chinese_calendar
from django.utils.translation import gettext as _

from .models import CalendarDay


class CalendarNotAvailable(Exception):
    pass


class WorkingCalendar:
    """Loads the overrides once per instance; use one instance per request or task."""

    def __init__(self):
        self._overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError as error:
            raise CalendarNotAvailable(
                _("%(year)d 年的法定节假日尚未发布，请管理员先维护工作日历。") % {"year": day.year}
            ) from error

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
        """Working days after `start` up to and including `end`."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
