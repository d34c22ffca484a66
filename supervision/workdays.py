"""Elapsed working days inside SQL, so averages and percentiles stay there.

Why not per row in Python: a year's decisions are hundreds of thousands of
review tasks, and `WorkingCalendar.working_days_between` loops over days.
Why not a stored column: the elapsed working days of a decided item are
implied by columns approvals already keeps (`clock_started_on`, the
decision time, `paused_working_days`), and storing them again would be a
second truth to keep in step with calendar corrections.

So `WorkingDayNumbers` numbers every day of a bounded span with the count
of working days since the span began, from the one `WorkingCalendar`
(national calendar + admin overrides). The numbers go into the query as a
single integer-array literal (PostgreSQL folds it to a constant at parse
time); working days in (start, end] are number[end] − number[start]: one
array subscript per row. Dates outside the span give NULL, which AVG and
percentile_cont skip; the span reaches LOOK_BACK_YEARS before the period,
far beyond any legal time limit plus suspensions."""

import datetime
import json

from django.db import NotSupportedError
from django.db.models import Func, IntegerField

from stages.calendar import CalendarNotAvailable

LOOK_BACK_YEARS = 5
REACH_AHEAD_DAYS = 120


class WorkingDayNumbers:
    def __init__(self, calendar, first, last, must_cover_from=None, reach_to=None):
        """Number the days first..last, then on to `reach_to` if given.
        Missing calendar years are tolerated only at the edges: before
        `must_cover_from` (the span starts later) and after `last` (it ends
        sooner); inside must_cover_from..last they raise
        CalendarNotAvailable."""
        must_cover_from = must_cover_from or first
        self.first = first
        flags = []
        day = last
        while day >= first:
            try:
                flags.append(calendar.is_working_day(day))
            except CalendarNotAvailable:
                if day >= must_cover_from:
                    raise
                self.first = day + datetime.timedelta(days=1)
                break
            day -= datetime.timedelta(days=1)
        flags.reverse()
        day = last + datetime.timedelta(days=1)
        while reach_to is not None and day <= reach_to:
            try:
                flags.append(calendar.is_working_day(day))
            except CalendarNotAvailable:
                break
            day += datetime.timedelta(days=1)
        count = 0
        self.numbers = []
        for working in flags:
            count += working
            self.numbers.append(count)

    @classmethod
    def for_period(cls, calendar, period, today):
        """A span from LOOK_BACK_YEARS before `period` to the later of its
        end and `today` (ongoing projects are measured to today), and on
        for REACH_AHEAD_DAYS where the calendar is loaded (working days
        left before a yellow task's due date)."""
        first = period.start.replace(year=period.start.year - LOOK_BACK_YEARS, day=1)
        last = max(period.end, today)
        return cls(
            calendar,
            first,
            last,
            must_cover_from=period.start,
            reach_to=last + datetime.timedelta(days=REACH_AHEAD_DAYS),
        )

    def number(self, day):
        """Working days in [first, day], for a date known in Python."""
        index = (day - self.first).days
        if 0 <= index < len(self.numbers):
            return self.numbers[index]
        return None

    def between(self, start, end):
        """Working days in (start, end] as SQL (NULL outside the span)."""
        return WorkingDayNumber(end, numbers=self) - WorkingDayNumber(start, numbers=self)

    def postgres_literal(self):
        return "{" + ",".join(map(str, self.numbers)) + "}"


class WorkingDayNumber(Func):
    """numbers[date] in SQL; `expression` must be a date."""

    output_field = IntegerField()

    def __init__(self, expression, *, numbers):
        super().__init__(expression, output_field=IntegerField())
        self.numbers = numbers

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        first = self.numbers.first
        if connection.vendor == "postgresql":
            return (
                f"(%s::integer[])[(({sql})::date - %s::date) + 1]",
                [self.numbers.postgres_literal(), *params, first],
            )
        if connection.vendor == "sqlite":
            # The embedded demo: JSON array, guarded against negative indexes.
            offset = f"CAST(julianday({sql}) - julianday(%s) AS INTEGER)"
            return (
                f"(CASE WHEN {offset} >= 0 THEN json_extract(%s, '$[' || {offset} || ']') END)",
                [
                    *params,
                    first.isoformat(),
                    json.dumps(self.numbers.numbers),
                    *params,
                    first.isoformat(),
                ],
            )
        raise NotSupportedError("working-day numbers need PostgreSQL or SQLite")
