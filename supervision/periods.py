"""Statistics periods: validation of a chosen one, and the periods of the
daily / weekly / 10-day (日报、周报、旬报) reports.

A period is inclusive of both ends, in local dates (Asia/Shanghai). It
may not be reversed nor longer than MAX_DAYS: a year's figures are the
longest anyone reads, and a longer window only makes the queries slower."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

MAX_DAYS = 366
DEFAULT_DAYS = 30


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def bounds(self):
        """[first instant, instant after the last day) as aware datetimes."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after

    def label(self):
        if self.start == self.end:
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start:%Y-%m-%d} ~ {self.end:%Y-%m-%d}"


def checked(start, end, today=None):
    """The period, or PeriodError with the message to show."""
    today = today or timezone.localdate()
    if start is None or end is None:
        raise PeriodError(_("请填写统计起止日期。"))
    if start > end:
        raise PeriodError(_("开始日期不能晚于结束日期。"))
    if end > today:
        raise PeriodError(_("结束日期不能晚于今天。"))
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError(
            _("统计区间最长 %(max)d 天，所选区间为 %(days)d 天，请缩短。")
            % {"max": MAX_DAYS, "days": (end - start).days + 1}
        )
    return Period(start, end)


def default_period(today=None):
    today = today or timezone.localdate()
    return Period(today - datetime.timedelta(days=DEFAULT_DAYS - 1), today)


# Periodic reports -----------------------------------------------------------


def day_period(day):
    return Period(day, day)


def week_period(day):
    """Monday to Sunday of the week holding `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return Period(monday, monday + datetime.timedelta(days=6))


def ten_day_period(day):
    """The 旬 holding `day`: 1–10, 11–20, or 21 to the month's end."""
    last = calendar.monthrange(day.year, day.month)[1]
    if day.day <= 10:
        first, final = 1, 10
    elif day.day <= 20:
        first, final = 11, 20
    else:
        first, final = 21, last
    return Period(day.replace(day=first), day.replace(day=final))


PERIOD_OF_KIND = {"daily": day_period, "weekly": week_period, "ten_day": ten_day_period}


def completed_periods(kind, today, look_back_days):
    """Periods of `kind` that ended in the `look_back_days` days before
    `today` (so a beat that missed a day catches up on the next run)."""
    of = PERIOD_OF_KIND[kind]
    found = []
    for offset in range(look_back_days, 0, -1):
        period = of(today - datetime.timedelta(days=offset))
        if period.end < today and period not in found:
            found.append(period)
    return found
