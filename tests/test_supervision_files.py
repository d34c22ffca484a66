"""Report files: the lists read as plain values say what the model
instances say, and the CSV and XLSX written together in one pass over each
list hold what each writer alone would."""

import datetime
import io

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from portal import tabular
from portal.tabular import Table
from stages.calendar import subtract_working_days
from supervision.filters import Filters
from supervision.models import Escalation
from supervision.periods import Period
from supervision.scope import Scope
from supervision.statistics import target, warnings
from supervision.workdays import WorkingDayNumbers

from .test_supervision_fixtures import (
    TODAY,
    application,
    calendar,  # noqa: F401  (fixture)
    day,
    local,
    project,
    supervisor,
    task,
)

CITY = Scope(None, "全市")
FILTERS = Filters(Period(day("2026-10-01"), TODAY))


@pytest.fixture
def numbers(calendar):  # noqa: F811
    return WorkingDayNumbers.for_period(calendar, FILTERS.period, TODAY)


@pytest.mark.django_db
def test_warned_tasks_as_values_match_the_listed_tasks(numbers):
    owner = application(state="in_review")
    red = task(owner, "drawing-review", state="pending", due_on=day("2026-11-18"))
    task(
        owner,
        "water-connection",
        state="reviewing",
        due_on=day("2026-11-24"),
        yellow_on=day("2026-11-19"),
    )
    task(application(project_=project("341003"), state="in_review"), "drawing-review",
         state="reviewing", due_on=day("2026-11-02"))  # fmt: skip
    Escalation.objects.create(
        task=red, note="请加快", new_deadline=day("2026-11-27"), created_by=supervisor()
    )

    for given in (numbers, None):
        listed = [warnings.row_of(t) for t in warnings.task_list(CITY, FILTERS, TODAY, given)]
        assert list(warnings.task_rows(CITY, FILTERS, TODAY, given)) == listed
    rows = list(warnings.task_rows(CITY, FILTERS, TODAY, numbers))
    assert [row[0] for row in rows] == ["red", "red", "yellow"]
    escalated = next(row for row in rows if row[4] == red.application.number)
    assert escalated[6:] == ("pending", day("2026-11-18"), -2, day("2026-11-27"))
    assert rows[2][8:] == (2, None)


@pytest.mark.django_db
def test_late_projects_as_values_match_the_listed_projects(numbers, calendar):  # noqa: F811
    def started(working_days_ago):
        return local(subtract_working_days(calendar, TODAY, working_days_ago).isoformat())

    for ago in (85, 120, 10, 101):
        application("land-planning", project(), state="issued", submitted_at=started(ago))

    listed = list(target.project_list(CITY, FILTERS, numbers, TODAY))
    rows = list(target.project_rows(CITY, FILTERS, numbers, TODAY))
    assert rows == [target.row_of(p) for p in listed]
    assert [(row[5], row[6]) for row in rows] == [(120, "over"), (101, "over"), (85, "at_risk")]
    assert rows[0][1:3] == (listed[0].jurisdiction.name, listed[0].enterprise.name)


def tables(reads):
    """Two tables whose rows can be read once; `reads` counts the reads."""

    def once(rows):
        reads.append(1)
        yield from rows

    return [
        Table(
            "a",
            gettext_lazy("清单"),
            ["项目", "日期", "工作日", "备注"],
            once(
                [
                    ['=HYPERLINK("http://evil.invalid")', datetime.date(2026, 11, 3), 12, None],
                    ["http://example.invalid/", None, -3, gettext_lazy("超期")],
                ]
            ),
        ),
        Table("b", "空表", ["项目"], once([]), "没有数据。"),
    ]


def sheets(data):
    workbook = load_workbook(io.BytesIO(data))
    return {name: [list(row) for row in workbook[name].values] for name in workbook.sheetnames}


def test_both_files_in_one_pass_hold_what_each_writer_writes():
    preface = [["日报"], ["统计区间", "2026-11-19"], []]
    reads = []
    csv_file, xlsx_file = io.BytesIO(), io.BytesIO()
    tabular.write_files(tables(reads), csv_file, xlsx_file, preface)
    assert len(reads) == 2  # each table's rows read once

    assert csv_file.getvalue() == tabular.csv_bytes(tables([]), preface)
    written = sheets(xlsx_file.getvalue())
    assert written == sheets(tabular.xlsx_bytes(tables([]), preface))
    assert list(written) == ["说明", "清单", "空表"]
    assert written["清单"][1][:3] == [
        '\'=HYPERLINK("http://evil.invalid")',
        datetime.datetime(2026, 11, 3),
        12,
    ]
    assert written["空表"] == [["项目"], ["没有数据。"]]
    text = csv_file.getvalue().decode("utf-8-sig")
    assert "清单\r\n项目,日期,工作日,备注\r\n" in text
    assert ",2026-11-03,12,\r\nhttp://example.invalid/,,-3,超期\r\n\r\n" in text


def test_xlsx_cells_keep_their_types_and_text_never_links():
    workbook = load_workbook(io.BytesIO(tabular.xlsx_bytes(tables([]))))
    sheet = workbook["清单"]
    assert sheet["A2"].data_type == "s" and sheet["A3"].data_type == "s"
    assert sheet["A3"].hyperlink is None
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["C3"].value == -3


def test_a_list_longer_than_a_sheet_continues_on_the_next(monkeypatch):
    monkeypatch.setattr(tabular, "XLSX_MAX_ROWS", 2)
    table = Table("a", "清单", ["n"], iter([[1], [2], [3], [4], [5]]))
    csv_file, xlsx_file = io.BytesIO(), io.BytesIO()
    tabular.write_files([table], csv_file, xlsx_file)
    assert sheets(xlsx_file.getvalue()) == {
        "清单": [["n"], [1], [2]],
        "清单2": [["n"], [3], [4]],
        "清单3": [["n"], [5]],
    }
    assert csv_file.getvalue().decode("utf-8-sig") == "n\r\n1\r\n2\r\n3\r\n4\r\n5\r\n"
