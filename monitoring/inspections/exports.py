"""The annual report as an Excel workbook (xlsx), for the archive and higher authorities."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import reports


def report_workbook(report):
    """The report's sections and figures, then items per column, as xlsx bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Annual report")
    sheet.append([str(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Status"), report.get_status_display()])
    for title, rows in reports.sections(report):
        sheet.append([])
        sheet.append([str(title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for field, value in rows:
            sheet.append([str(field.label), value])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 24
    if report.per_column:
        columns = book.create_sheet(_("Items per column"))
        columns.append([_("Column"), _("Items published")])
        for row in report.per_column:
            columns.append(["　" * row["depth"] + row["column"], row["count"]])
        columns.column_dimensions["A"].width = 40
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(report):
    response = HttpResponse(
        report_workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"annual-report-{report.year}-{report.kind}-{report.site_id or 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
