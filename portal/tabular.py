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
BYTE_ORDER_MARK = "\ufeff"


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
    """A cell (see `cell`) as CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _records(tables, preface=(), book=None):
    """The CSV's records (lists of values; [] a blank line) in order. With
    `book` (an `_XlsxBook`), each table and row goes to it in the same pass:
    a report's list is read once for both files."""
    for row in preface:
        yield [_text(cell(v)) for v in row]
    several = len(tables) > 1
    for table in tables:
        if book is not None:
            book.begin(table)
        if several:
            yield [_text(cell(table.title))]
        yield [_text(cell(c)) for c in table.columns]
        written = 0
        for row in table.rows:
            written += 1
            cells = [cell(v) for v in row]
            if book is not None:
                book.append(cells)
            yield [_text(v) for v in cells]
        if not written and table.empty:
            yield [_text(cell(table.empty))]
            if book is not None:
                book.append([cell(table.empty)])
        if several:
            yield []


class _Echo:
    def write(self, value):
        return value


def csv_chunks(tables, preface=()):
    """Encoded CSV, line by line (for a streaming response). With more than
    one table (reports), each starts with its title and ends with a blank
    line; `preface` rows (report heading) come first."""
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK.encode()
    for record in _records(tables, preface):
        yield writer.writerow(record).encode()


def csv_bytes(tables, preface=()):
    return b"".join(csv_chunks(tables, preface))


def xlsx_bytes(tables, preface=()):
    buffer = io.BytesIO()
    write_xlsx(tables, buffer, preface)
    return buffer.getvalue()


def write_xlsx(tables, target, preface=()):
    """One sheet per table into `target` (a path or binary file); rows are
    not kept in memory. Rows past a sheet's limit go on to a continuation
    sheet of the same title."""
    book = _XlsxBook(target, preface)
    for table in tables:
        book.begin(table)
        written = 0
        for row in table.rows:
            book.append([cell(v) for v in row])
            written += 1
        if not written and table.empty:
            book.append([cell(table.empty)])
    book.save()


def write_files(tables, csv_target, xlsx_target, preface=()):
    """The CSV and the XLSX of the same tables into two binary files, in one
    pass over each table's rows (iterators read once, never held)."""
    book = _XlsxBook(xlsx_target, preface)
    text = io.TextIOWrapper(csv_target, encoding="utf-8", newline="")
    text.write(BYTE_ORDER_MARK)
    csv.writer(text).writerows(_records(tables, preface, book))
    text.detach()
    book.save()


class _XlsxBook:
    """An XLSX written row by row (XlsxWriter's constant-memory mode: one
    row held at a time; ~1.5x faster than openpyxl's write-only mode on a
    report's lists): one sheet per table, continued on a sheet of the same
    title past Excel's limit. Cells are written as what they are — text
    never becomes a formula or a link."""

    def __init__(self, target, preface=()):
        import xlsxwriter

        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "default_date_format": "yyyy-mm-dd",
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.used = set()
        if preface:
            self.sheet, self.row = self.workbook.add_worksheet("说明"), 0
            for row in preface:
                self.sheet.write_row(self.row, 0, [cell(v) for v in row])
                self.row += 1

    def begin(self, table):
        self.table = table
        self._open_sheet()

    def _open_sheet(self):
        self.sheet = self.workbook.add_worksheet(_sheet_title(str(self.table.title), self.used))
        self.sheet.write_row(0, 0, [cell(c) for c in self.table.columns])
        self.row = 1

    def append(self, cells):
        if self.row > XLSX_MAX_ROWS:
            self._open_sheet()
        self.sheet.write_row(self.row, 0, cells)
        self.row += 1

    def save(self):
        self.workbook.close()


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
