"""Excel export (openpyxl) of the dashboard's tables; every export is an operation-log entry."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from columns.audit import record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value if isinstance(value, int | float) or value is None else str(value)


def xlsx_response(filename, sheets, *, user, request=None):
    """sheets: [(title, headers, rows)] → a download; the export is logged with its size."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([str(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(header)) * 2)
    buffer = BytesIO()
    workbook.save(buffer)
    record(
        "export",
        actor=user,
        detail={"file": filename, "rows": sum(len(rows) for _t, _h, rows in sheets)},
        request=request,
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
