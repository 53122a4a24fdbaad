"""The column tree as a spreadsheet: writing it to xlsx/csv and reading such a file back.

One row per column, in tree order, identified by its site code and path
("news/dept-news/edu-news"). Reading only turns a file into rows; applying them is
columns.services.import_tree, which validates every row and changes nothing on error.
"""

import csv
import io
import zipfile
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from . import xlsx
from .models import ColumnCategory

#: (key, header): the header is what the operator sees; reading accepts either.
FIELDS = [
    ("site", gettext_lazy("site code")),
    ("path", gettext_lazy("path")),
    ("name", gettext_lazy("name")),
    ("category", gettext_lazy("category")),
    ("unit", gettext_lazy("unit (empty: inherited)")),
    ("position", gettext_lazy("position")),
    ("on_homepage", gettext_lazy("shown on homepage")),
    ("is_special_topic", gettext_lazy("special topic")),
    ("topic_starts_on", gettext_lazy("topic starts on")),
    ("topic_ends_on", gettext_lazy("topic ends on")),
    ("max_gap_days", gettext_lazy("local longest gap (days)")),
    ("min_updates_per_week", gettext_lazy("minimum updates per week")),
    ("min_updates_per_month", gettext_lazy("minimum updates per month")),
    ("max_working_days_between_updates", gettext_lazy("longest gap in working days")),
]
MAX_ROWS = 20000


def _yes_no(value):
    return _("yes") if value else _("no")


def tree_rows(columns, paths):
    """The export rows of columns (already in tree order, with site and unit selected)."""
    for column in columns:
        yield [
            column.site.site_code,
            paths[column.pk],
            column.name,
            column.get_category_display(),
            column.unit.name if column.unit_assigned_explicitly and column.unit else "",
            column.position,
            _yes_no(column.on_homepage),
            _yes_no(column.is_special_topic),
            column.topic_starts_on.isoformat() if column.topic_starts_on else "",
            column.topic_ends_on.isoformat() if column.topic_ends_on else "",
            *(
                "" if value is None else value
                for value in (
                    column.max_gap_days,
                    column.min_updates_per_week,
                    column.min_updates_per_month,
                    column.max_working_days_between_updates,
                )
            ),
        ]


def headers():
    return [str(label) for _key, label in FIELDS]


def write_csv(rows):
    # UTF-8 with BOM: Excel on Chinese Windows opens it with the right encoding.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    # Excel runs a CSV cell starting with = + - @ as it would in a workbook.
    writer.writerows([xlsx.literal(v) if isinstance(v, str) else v for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows):
    workbook = xlsx.Workbook()
    workbook.table(_("columns"), headers(), rows)
    return workbook.to_bytes()


def read_rows(uploaded):
    """[(row number, {key: text})] from an uploaded .xlsx or .csv file; a file that cannot
    be read, or lacks a column, raises ValidationError."""
    name = (getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read()
    try:
        if name.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table = [list(row) for row in sheet.iter_rows(values_only=True)]
        elif name.endswith(".csv"):
            table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        else:
            raise ValidationError(_("Upload the tree as an .xlsx or .csv file."))
    except (
        UnicodeDecodeError,
        csv.Error,
        OSError,
        ValueError,
        KeyError,
        zipfile.BadZipFile,
    ) as exc:
        raise ValidationError(
            _("The file could not be read as a spreadsheet (%(error)s).") % {"error": exc}
        ) from exc
    if not table:
        raise ValidationError(_("The file is empty."))
    if len(table) > MAX_ROWS + 1:
        raise ValidationError(
            _("At most %(max)s rows can be imported at once.") % {"max": MAX_ROWS}
        )
    by_header = {}
    for key, label in FIELDS:
        by_header[key] = key
        by_header[str(label)] = key
    columns = [by_header.get(_text(cell)) for cell in table[0]]
    missing = [str(label) for key, label in FIELDS[:4] if key not in columns]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(missing)s.")
            % {"missing": "、".join(missing)}
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        row = {key: _text(cell) for key, cell in zip(columns, cells, strict=False) if key}
        if any(row.values()):
            rows.append((number, row))
    return rows


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return xlsx.unmarked(str(cell).strip())


def parse_category(text):
    for value, label in ColumnCategory.choices:
        if text in (value, str(label)):
            return value
    raise ValidationError({"category": _("Unknown category “%(category)s”.") % {"category": text}})


def parse_bool(text, field):
    lowered = text.lower()
    if lowered in ("", "0", "no", "false", "n", str(_("no")).lower()):
        return False
    if lowered in ("1", "yes", "true", "y", str(_("yes")).lower()):
        return True
    raise ValidationError({field: _("Write yes or no, not “%(value)s”.") % {"value": text}})


def parse_number(text, field):
    if text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ValidationError(
            {field: _("“%(value)s” is not a whole number of zero or more.") % {"value": text}}
        )
    return value


def parse_date(text, field):
    if text == "":
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValidationError(
            {field: _("“%(value)s” is not a date like 2026-01-31.") % {"value": text}}
        ) from exc
