"""Excel export of the dashboard's tables (written by columns.xlsx); every export is an
operation-log entry."""

from columns import xlsx
from columns.audit import record


def xlsx_response(filename, sheets, *, user, request=None):
    """sheets: [(title, headers, rows)] → a download; the export is logged with its size."""
    workbook = xlsx.Workbook()
    for title, headers, rows in sheets:
        workbook.table(title, headers, rows)
    response = workbook.response(filename)
    record(
        "export",
        actor=user,
        detail={"file": filename, "rows": sum(len(rows) for _t, _h, rows in sheets)},
        request=request,
    )
    return response
