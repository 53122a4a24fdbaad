"""One answer per citizen under concurrency: the same browser submitting twice at once stores
exactly one response (the unique constraint decides on PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from interaction.participation import services
from interaction.participation.models import SurveyResponse

from .test_participation import make_survey

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_answers_from_one_browser_store_one(demo):
    survey = make_survey()
    question = survey.questions.order_by("position").first()
    answers = {question.pk: str(question.choices.first().pk)}
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait()
            services.answer_survey(survey=survey, respondent_key="same-browser", answers=answers)
            outcomes.append("stored")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["stored", "您已参与过本次调查，每人只能提交一次。"])
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
