"""纠错词典导入导出 — the wrong→right dictionary as an Excel or CSV file the operator keeps.

The file has a header row and the columns 错误写法, 正确写法, 类别, 备注. An import either
stores every row (new wrong forms added, known ones updated) or, if any row is bad, stores
nothing and names each bad row.
"""

import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns import xlsx

from ..models import CheckListVersion, WordingCorrection

COLUMNS = ("错误写法", "正确写法", "类别", "备注")
FORMATS = {
    "xlsx": xlsx.CONTENT_TYPE,
    "csv": "text/csv; charset=utf-8",
}
#: Far more than any real dictionary; a bigger file is refused before it is read.
MAX_BYTES = 5 * 1024 * 1024
_FIELD_LENGTH = {
    "wrong": WordingCorrection._meta.get_field("wrong").max_length,
    "right": WordingCorrection._meta.get_field("right").max_length,
    "note": WordingCorrection._meta.get_field("note").max_length,
}


def _kind_names():
    """类别 as written in a file (the label shown in the admin, or the stored code) → code."""
    names = {}
    for code, label in WordingCorrection.Kind.choices:
        names[code] = code
        names[str(label)] = code
    return names


def export_dictionary(file_format):
    """The whole dictionary as (bytes, content type) in file_format ("xlsx" or "csv")."""
    labels = dict(WordingCorrection.Kind.choices)
    rows = [
        (wrong, right, str(labels.get(kind, kind)), note)
        for wrong, right, kind, note in WordingCorrection.objects.order_by(
            "kind", "wrong"
        ).values_list("wrong", "right", "kind", "note")
    ]
    if file_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        # Excel runs a CSV cell starting with = + - @ as it would in a workbook.
        writer.writerows([xlsx.literal(cell) for cell in row] for row in rows)
        # With a BOM, so that Excel opens the Chinese text as UTF-8.
        return out.getvalue().encode("utf-8-sig"), FORMATS["csv"]
    workbook = xlsx.Workbook()
    workbook.table(_("Wording dictionary"), COLUMNS, rows)
    return workbook.to_bytes(), FORMATS["xlsx"]


def _read_rows(name, data):
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The CSV file must be saved as UTF-8 or GB18030."))
        return list(csv.reader(io.StringIO(text)))
    if name.lower().endswith(".xlsx"):
        import openpyxl  # noqa: PLC0415

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise ValidationError(_("The Excel file cannot be opened.")) from error
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    raise ValidationError(_("Upload an .xlsx or .csv file."))


def _cell(row, index):
    value = row[index] if index < len(row) else None
    return "" if value is None else xlsx.unmarked(str(value).strip())


def _parse(rows):
    """The rows as field dicts, or a ValidationError naming every bad row."""
    if not rows or [_cell(rows[0], i) for i in range(2)] != list(COLUMNS[:2]):
        raise ValidationError(
            _("The first row must be the header: %(columns)s.") % {"columns": "、".join(COLUMNS)}
        )
    kinds = _kind_names()
    errors = []
    parsed = {}
    for number, row in enumerate(rows[1:], start=2):
        fields = {
            "wrong": _cell(row, 0),
            "right": _cell(row, 1),
            "kind": _cell(row, 2),
            "note": _cell(row, 3),
        }
        if not any(fields.values()):
            continue
        problems = []
        if not fields["wrong"] or not fields["right"]:
            problems.append(_("both the wrong and the right form are needed"))
        elif fields["wrong"] == fields["right"]:
            problems.append(_("the right form must differ from the wrong one"))
        for field, limit in _FIELD_LENGTH.items():
            if len(fields[field]) > limit:
                problems.append(
                    _("%(column)s is longer than %(limit)d characters")
                    % {
                        "column": COLUMNS[("wrong", "right", "kind", "note").index(field)],
                        "limit": limit,
                    }
                )
        kind = kinds.get(fields["kind"] or WordingCorrection.Kind.TYPO)
        if kind is None:
            problems.append(
                _("unknown category “%(kind)s” (use %(kinds)s)")
                % {
                    "kind": fields["kind"],
                    "kinds": "、".join(
                        str(label) for _code, label in WordingCorrection.Kind.choices
                    ),
                }
            )
        if fields["wrong"] in parsed:
            problems.append(
                _("“%(wrong)s” is already on row %(row)d")
                % {"wrong": fields["wrong"], "row": parsed[fields["wrong"]]["row"]}
            )
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s.") % {"row": number, "problems": "；".join(problems)}
            )
        else:
            parsed[fields["wrong"]] = {**fields, "kind": kind, "row": number}
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("The file has no entries."))
    return list(parsed.values())


@transaction.atomic
def import_dictionary(*, name, data):
    """导入纠错词典: add or update every entry of the file; returns (added, updated).

    Nothing is stored if any row is bad: the ValidationError lists every bad row.
    """
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    entries = _parse(_read_rows(name or "", data))
    existing = {
        correction.wrong: correction
        for correction in WordingCorrection.objects.select_for_update().filter(
            wrong__in=[entry["wrong"] for entry in entries]
        )
    }
    new, changed = [], []
    for entry in entries:
        correction = existing.get(entry["wrong"])
        if correction is None:
            correction = WordingCorrection(wrong=entry["wrong"])
            new.append(correction)
        elif (correction.right, correction.kind, correction.note) == (
            entry["right"],
            entry["kind"],
            entry["note"],
        ):
            continue
        else:
            changed.append(correction)
        correction.right, correction.kind, correction.note = (
            entry["right"],
            entry["kind"],
            entry["note"],
        )
        correction.updated_at = timezone.now()
    WordingCorrection.objects.bulk_create(new, batch_size=1000)
    WordingCorrection.objects.bulk_update(changed, ["right", "kind", "note", "updated_at"])
    if new or changed:
        CheckListVersion.bump()
    return len(new), len(changed)
