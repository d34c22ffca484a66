"""Tables — a title, column headings and rows of plain values — and their
CSV and XLSX downloads, the one way every list and report exports.

CSV is UTF-8 with a byte-order mark so Excel on Chinese Windows opens it
right. Text that a spreadsheet would take for a formula (project names come
from applicants) is prefixed with an apostrophe — CSV/formula injection."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the heading row
SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: object  # list or iterator of lists
    empty: str = ""


def cell(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value):
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class _Echo:
    def write(self, value):
        return value


def csv_chunks(tables, preface=()):
    """Encoded CSV, line by line (for a streaming response). With more than
    one table (reports), each starts with its title and ends with a blank
    line; `preface` rows (report heading) come first."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in preface:
        yield writer.writerow([_text(v) for v in row]).encode()
    several = len(tables) > 1
    for table in tables:
        if several:
            yield writer.writerow([_text(table.title)]).encode()
        yield writer.writerow([_text(c) for c in table.columns]).encode()
        written = 0
        for row in table.rows:
            written += 1
            yield writer.writerow([_text(v) for v in row]).encode()
        if not written and table.empty:
            yield writer.writerow([_text(table.empty)]).encode()
        if several:
            yield b"\r\n"


def csv_bytes(tables, preface=()):
    return b"".join(csv_chunks(tables, preface))


def xlsx_bytes(tables, preface=()):
    buffer = io.BytesIO()
    write_xlsx(tables, buffer, preface)
    return buffer.getvalue()


def write_xlsx(tables, target, preface=()):
    """One sheet per table into `target` (a path or binary file), in
    write-only mode: rows are not kept in memory. Rows past a sheet's
    limit go on to a continuation sheet of the same title."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    if preface:
        sheet = workbook.create_sheet(title="说明")
        for row in preface:
            sheet.append([cell(v) for v in row])
    used = set()
    for table in tables:
        title = str(table.title)
        sheet = workbook.create_sheet(title=_sheet_title(title, used))
        sheet.append([cell(c) for c in table.columns])
        written = on_sheet = 0
        for row in table.rows:
            if on_sheet >= XLSX_MAX_ROWS:
                sheet = workbook.create_sheet(title=_sheet_title(title, used))
                sheet.append([cell(c) for c in table.columns])
                on_sheet = 0
            sheet.append([cell(v) for v in row])
            written += 1
            on_sheet += 1
        if not written and table.empty:
            sheet.append([cell(table.empty)])
    workbook.save(target)


def _sheet_title(title, used):
    base = title.translate(SHEET_FORBIDDEN)[:28] or "Sheet"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}{n}"
    used.add(name)
    return name


def download(tables, filename, fmt, preface=()):
    """The tables as an attachment: CSV streamed, XLSX built in memory;
    never cached, since lists hold non-public data."""
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(tables, preface), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(xlsx_bytes(tables, preface), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
