"""Load the national holidays and 调休 make-up days that chinese-calendar
knows (2004 to its last published year) into the calendar tables."""

import datetime

from django.db import migrations


def load(apps, schema_editor):
    import chinese_calendar

    from stages.calendar import load_national_calendar

    first, last = 2004, datetime.date.today().year + 1
    years = []
    for year in range(first, last + 1):
        try:
            chinese_calendar.is_workday(datetime.date(year, 6, 1))
        except NotImplementedError:
            continue
        years.append(year)
    load_national_calendar(
        years,
        day_model=apps.get_model("stages", "CalendarDay"),
        year_model=apps.get_model("stages", "CalendarYear"),
    )


class Migration(migrations.Migration):
    dependencies = [("stages", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
