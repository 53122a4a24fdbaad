"""导出 — a survey's results as an Excel workbook: counts per option, then every response.

Phone numbers are never stored, so no export can reveal them; free-text answers are included
for the unit that reads them.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors
from .models import QuestionKind


def _plain(text):
    """Citizens' text as a literal cell: a leading = + - @ would make Excel run it as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def survey_workbook(survey):
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Totals")
    bold = Font(bold=True)
    results = selectors.survey_results(survey)
    summary.append([survey.title])
    summary.append([_("Responses"), results["total"]])
    summary.append([])
    for number, row in enumerate(results["questions"], start=1):
        summary.append([f"{number}. {row['question'].text}"])
        summary.cell(row=summary.max_row, column=1).font = bold
        if row["is_choice"]:
            summary.append([_("Option"), _("Answers"), _("Share (%)")])
            for option in row["options"]:
                summary.append([option["text"], option["votes"], option["percent"]])
        else:
            summary.append([_("Written answers"), row["answered"]])
        summary.append([])
    summary.column_dimensions["A"].width = 48

    sheet = workbook.create_sheet(_("Responses"))
    questions = list(selectors.survey_questions(survey))
    sheet.append([_("No."), _("Submitted at"), *[q.text for q in questions]])
    for cell in sheet[1]:
        cell.font = bold
    responses = survey.responses.prefetch_related("answers__choices").order_by("submitted_at", "pk")
    for number, response in enumerate(responses, start=1):
        by_question = {a.question_id: a for a in response.answers.all()}
        cells = []
        for question in questions:
            answer = by_question.get(question.pk)
            if answer is None:
                cells.append("")
            elif question.kind == QuestionKind.TEXT:
                cells.append(_plain(answer.text))
            else:
                cells.append("；".join(c.text for c in answer.choices.all()))
        submitted = timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")
        sheet.append([number, submitted, *cells])
    return workbook
