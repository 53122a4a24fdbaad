"""导出 — a survey's results as an Excel workbook: counts per option, then every response.

Phone numbers are never stored, so no export can reveal them; free-text answers are included
for the unit that reads them.
"""

from django.utils.translation import gettext as _

from columns import xlsx

from . import selectors
from .models import QuestionKind


def survey_workbook(survey):
    """The survey's export (columns.xlsx keeps citizens' text from running as a formula)."""
    workbook = xlsx.Workbook()
    summary = workbook.sheet(_("Totals"))
    results = selectors.survey_results(survey)
    summary.heading(survey.title)
    summary.row([_("Responses"), results["total"]])
    summary.blank()
    for number, row in enumerate(results["questions"], start=1):
        summary.heading(f"{number}. {row['question'].text}")
        if row["is_choice"]:
            summary.row([_("Option"), _("Answers"), _("Share (%)")])
            for option in row["options"]:
                summary.row([option["text"], option["votes"], option["percent"]])
        else:
            summary.row([_("Written answers"), row["answered"]])
        summary.blank()
    summary.width(1, 48)

    sheet = workbook.sheet(_("Responses"))
    questions = list(selectors.survey_questions(survey))
    sheet.header([_("No."), _("Submitted at"), *[q.text for q in questions]])
    responses = survey.responses.prefetch_related("answers__choices").order_by("submitted_at", "pk")
    for number, response in enumerate(responses, start=1):
        by_question = {a.question_id: a for a in response.answers.all()}
        cells = []
        for question in questions:
            answer = by_question.get(question.pk)
            if answer is None:
                cells.append("")
            elif question.kind == QuestionKind.TEXT:
                cells.append(answer.text)
            else:
                cells.append("；".join(c.text for c in answer.choices.all()))
        sheet.row([number, response.submitted_at, *cells])
    return workbook
