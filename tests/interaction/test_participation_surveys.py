"""征集调查: one answer per citizen (cookie, rate limit, optional phone), results as counts and
charts once the unit publishes them, and the export to Excel."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from interaction.participation import services
from interaction.participation.models import Survey, SurveyAnswer, SurveyResponse

from .test_participation import make_survey

pytestmark = pytest.mark.django_db


def questions(survey):
    single, multiple, text = survey.questions.order_by("position")
    return single, multiple, text


def answer_data(survey, *, single=0, multiple=(0, 2), text="希望多开展活动"):
    q1, q2, q3 = questions(survey)
    choices1, choices2 = list(q1.choices.all()), list(q2.choices.all())
    return {
        f"q{q1.pk}": str(choices1[single].pk) if single is not None else "",
        f"q{q2.pk}": [str(choices2[i].pk) for i in multiple],
        f"q{q3.pk}": text,
        "captcha_0": "test-key",
        "captcha_1": "PASSED",
    }


def take_part(client, survey, **answers):
    client.get(survey.get_absolute_url())  # the page gives the browser its participant cookie
    return client.post(survey.get_absolute_url(), answer_data(survey, **answers))


def test_citizen_answers_once_and_a_second_answer_is_refused(client):
    survey = make_survey()
    first = take_part(client, survey)
    assert first.status_code == 302
    response = SurveyResponse.objects.get(survey=survey)
    assert response.answers.count() == 3
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "感谢您参与本次调查。" in page
    assert "您已参与本次调查" in page and "<form" not in page.split("</header>")[1]

    second = client.post(survey.get_absolute_url(), answer_data(survey, single=1))
    assert second.status_code == 200
    assert "您已参与过本次调查，每人只能提交一次。" in second.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert SurveyAnswer.objects.filter(response__survey=survey).count() == 3


def test_second_answer_with_the_same_phone_from_another_browser_is_refused(demo):
    survey = make_survey(requires_phone=True)
    browser_one, browser_two = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    browser_one.get(survey.get_absolute_url())
    assert (
        browser_one.post(
            survey.get_absolute_url(), {**answer_data(survey), "phone": "13912345678"}
        ).status_code
        == 302
    )
    browser_two.get(survey.get_absolute_url())
    again = browser_two.post(
        survey.get_absolute_url(), {**answer_data(survey), "phone": "13912345678"}
    )
    assert "您已参与过本次调查，每人只能提交一次。" in again.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    stored = SurveyResponse.objects.get(survey=survey)
    assert "13912345678" not in stored.phone_digest and len(stored.phone_digest) == 64


def test_missing_required_answer_is_refused_and_nothing_is_stored(client):
    survey = make_survey()
    response = take_part(client, survey, single=None)
    assert response.status_code == 200
    assert "这个字段是必须的" in response.content.decode()
    assert not SurveyResponse.objects.filter(survey=survey).exists()
    with pytest.raises(ValidationError) as refused:
        services.answer_survey(survey=survey, respondent_key="k", answers={})
    assert "请回答“您的年龄段？”。" in " ".join(refused.value.messages)
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_answer_after_the_close_is_refused_and_nothing_is_stored(client):
    survey = make_survey()
    client.get(survey.get_absolute_url())
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = client.post(survey.get_absolute_url(), answer_data(survey))
    assert "本次调查已结束，不再接受答卷。" in response.content.decode()
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_answers_from_one_address_are_rate_limited(settings, demo):
    settings.PARTICIPATION_RATE_LIMITS = {"surveyresponse": (2, 3600)}
    survey = make_survey()
    outcomes = [take_part(Client(HTTP_HOST="localhost"), survey).status_code for _ in range(3)]
    assert outcomes == [302, 302, 200]
    assert SurveyResponse.objects.filter(survey=survey).count() == 2


def test_results_are_published_when_the_unit_chooses_after_the_close(client, login_as):
    survey = make_survey()
    for single in (0, 1, 1):
        take_part(Client(HTTP_HOST="localhost"), survey, single=single)
    liaison = login_as("edu_liaison")
    publish = {"action": "publish_results", "_selected_action": [survey.pk]}
    refused = liaison.post(reverse("admin:interaction_survey_changelist"), publish, follow=True)
    assert "调查结束后才能公布结果" in refused.content.decode()
    assert (
        "结果"
        not in client.get(survey.get_absolute_url())
        .content.decode()
        .split("<main")[1]
        .split("问卷")[0]
    )

    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    html = client.get(survey.get_absolute_url()).content.decode()
    assert "调查已结束，发布单位尚未公布结果。" in html
    liaison.post(reverse("admin:interaction_survey_changelist"), publish)
    survey.refresh_from_db()
    assert survey.results_published_at is not None
    html = client.get(survey.get_absolute_url()).content.decode()
    assert "已公布结果" in html and "共3人参与。" in html
    assert "<td>18岁以下</td><td>1</td><td>33.3%</td>" in html
    assert "<td>18至60岁</td><td>2</td><td>66.7%</td>" in html
    assert 'data-question="' in html and "echarts.min.js" in html
    assert "希望多开展活动" not in html  # written answers are for the unit only


def test_export_to_xlsx_counts_every_answer_and_neutralises_formulas(login_as, demo):
    survey = make_survey()
    take_part(Client(HTTP_HOST="localhost"), survey, single=2, text='=HYPERLINK("x")')
    take_part(Client(HTTP_HOST="localhost"), survey, single=2, multiple=(1,), text="")
    response = login_as("edu_liaison").get(
        reverse("admin:interaction_survey_export", args=[survey.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    summary = [tuple(c for c in row if c is not None) for row in workbook.worksheets[0].values]
    assert ("60岁以上", 2, 100) in summary
    assert ("交通", 1, 50) in summary
    rows = list(workbook.worksheets[1].values)
    assert rows[0][2:] == ("您的年龄段？", "您关注哪些服务？", "其他建议")
    assert rows[1][2:] == ("60岁以上", "教育；交通", '\'=HYPERLINK("x")')
    assert rows[2][4] in ("", None)
