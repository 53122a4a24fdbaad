"""表格导出 — every Excel (xlsx) download of the platform is written here, one way.

A sheet has a Chinese title (callers pass it through gettext), a bold header row kept in
view, columns wide enough for their text, dates and times as real Excel dates in the
platform's time zone (Asia/Shanghai), and text that Excel would run as a formula (a leading
= + - @) kept literal: exports carry citizens' and staff's words. `attachment` sends any
download with a Chinese filename (RFC 6266 ``filename*=UTF-8''…``).

It lives in columns, the lowest app, because every app above exports something.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What Excel (and LibreOffice) read as the start of a formula, tab and CR included (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's own mark for "this cell is text": shown in the cell, not run.
_TEXT_MARK = "'"
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_DATE_FORMAT = "yyyy-mm-dd"
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def literal(text):
    """text as a cell Excel shows and never runs: a leading = + - @ gets Excel's text mark."""
    return _TEXT_MARK + text if text.startswith(FORMULA_STARTS) else text


def unmarked(text):
    """A cell read back from one of our exports, without the text mark `literal` added."""
    if text.startswith(_TEXT_MARK) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _value(value):
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone())
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return literal(str(value))


def _width(value):
    """Display width: a Chinese character takes two Latin ones."""
    if isinstance(value, datetime):
        return 16
    text = str(value)
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


class Sheet:
    """One worksheet; rows are appended top to bottom."""

    def __init__(self, worksheet, *, wrap):
        self._sheet = worksheet
        self._wrap = wrap
        self._fitted = {}
        self._fixed = {}

    def header(self, labels):
        """The bold row naming the columns; the rows below scroll under it."""
        self.row(labels, bold=True)
        # A coordinate, not a cell: asking for the cell would add an empty row.
        self._sheet.freeze_panes = f"A{self._sheet.max_row + 1}"

    def heading(self, text, *, size=None):
        """A bold line of its own (a title or a section), left out of the column widths."""
        self._sheet.append([literal(str(text))])
        self._sheet.cell(row=self._sheet.max_row, column=1).font = Font(bold=True, size=size)

    def blank(self):
        self._sheet.append([])

    def row(self, values, *, bold=False):
        cells = [_value(value) for value in values]
        self._sheet.append(cells)
        number = self._sheet.max_row
        for index, value in enumerate(cells, start=1):
            cell = self._sheet.cell(row=number, column=index)
            if bold:
                cell.font = Font(bold=True)
            if isinstance(value, datetime):
                cell.number_format = _DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = _DATE_FORMAT
            if value is not None:
                self._fitted[index] = max(self._fitted.get(index, 0), _width(value) + 2)

    def width(self, column, width):
        """Column `column` (1 = A) exactly `width` wide, whatever its text."""
        self._fixed[column] = width

    def _finish(self):
        fitted = {i: min(max(w, _MIN_WIDTH), _MAX_WIDTH) for i, w in self._fitted.items()}
        for index, width in {**fitted, **self._fixed}.items():
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        if self._wrap:
            for row in self._sheet.iter_rows():
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


class Workbook:
    """An export being written: add sheets, then take its bytes or a download."""

    def __init__(self):
        self._book = openpyxl.Workbook()
        self._book.remove(self._book.active)
        self._sheets = []

    def sheet(self, title, *, wrap=False):
        """A new sheet titled `title` (cut to Excel's 31 characters, without [ ] : * ? / \\)."""
        name = _SHEET_TITLE_FORBIDDEN.sub("", str(title))[:31].strip() or "-"
        sheet = Sheet(self._book.create_sheet(title=name), wrap=wrap)
        self._sheets.append(sheet)
        return sheet

    def table(self, title, headers, rows):
        """A sheet holding one table: the header row, then one row per item."""
        sheet = self.sheet(title)
        sheet.header(headers)
        for row in rows:
            sheet.row(row)
        return sheet

    def to_bytes(self):
        for sheet in self._sheets:
            sheet._finish()
        buffer = BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()

    def response(self, filename):
        return attachment(self.to_bytes(), filename)


def attachment(content, filename, content_type=CONTENT_TYPE):
    """A download of `content` saved as `filename` (Chinese allowed; path characters dropped)."""
    response = HttpResponse(content, content_type=content_type)
    safe = _FILENAME_FORBIDDEN.sub("_", filename)
    response["Content-Disposition"] = content_disposition_header(True, safe)
    return response
