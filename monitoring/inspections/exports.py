"""The annual report as an Excel workbook (xlsx), for the archive and higher authorities."""

from django.utils.translation import gettext as _

from columns import xlsx

from . import reports


def report_workbook(report):
    """The report's sections and figures, then items per column (columns.xlsx writes it)."""
    workbook = xlsx.Workbook()
    sheet = workbook.sheet(_("Annual report"), wrap=True)
    sheet.heading(report, size=14)
    sheet.row([_("Status"), report.get_status_display()])
    for title, rows in reports.sections(report):
        sheet.blank()
        sheet.heading(title)
        for field, value in rows:
            sheet.row([field.label, value])
    sheet.width(1, 48)
    sheet.width(2, 24)
    if report.per_column:
        columns = workbook.table(
            _("Items per column"),
            [_("Column"), _("Items published")],
            (["　" * row["depth"] + row["column"], row["count"]] for row in report.per_column),
        )
        columns.width(1, 40)
    return workbook


def xlsx_response(report):
    return report_workbook(report).response(f"{report}.xlsx")
