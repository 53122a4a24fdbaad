"""One answer per citizen under concurrency: the same browser submitting twice at once stores
exactly one response (the unique constraint decides on PostgreSQL)."""

from interaction.participation import services
from interaction.participation.models import SurveyResponse
from tests.concurrency import ONLY_ON_POSTGRESQL, run_at_once

from .test_participation import make_survey

pytestmark = ONLY_ON_POSTGRESQL


def test_two_simultaneous_answers_from_one_browser_store_one(demo):
    survey = make_survey()
    question = survey.questions.order_by("position").first()
    answers = {question.pk: str(question.choices.first().pk)}

    def answer():
        return services.answer_survey(survey=survey, respondent_key="same-browser", answers=answers)

    outcomes = run_at_once(answer, answer)
    stored = [kind for kind, _value in outcomes if kind == "ok"]
    refused = [" ".join(value.messages) for kind, value in outcomes if kind == "error"]
    assert len(stored) == 1
    assert refused == ["您已参与过本次调查，每人只能提交一次。"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
