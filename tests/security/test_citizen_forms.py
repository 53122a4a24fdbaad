"""Citizens' forms under attack (issue 15, items 10 and 11): survey stuffing with fresh
cookies, over-long e-mail addresses (a 500 on PostgreSQL before), and the survey cookie's
Secure flag in production. Run on PostgreSQL with DATABASE_URL for the e-mail case.
"""

import re

import pytest
from captcha.models import CaptchaStore
from django.test import Client

from interaction.models import Message
from interaction.participation.models import ConsultationComment, SurveyResponse
from interaction.tasks import refill_captchas

from ..conftest import DEMO_HOST
from ..interaction.test_participation import make_consultation, make_survey
from ..interaction.test_participation_surveys import answer_data
from ..interaction.test_submission import form_data
from .reporting import print_summary

pytestmark = pytest.mark.django_db

RESULTS = {}
LONG_EMAIL = "a" * 250 + "@example.com"  # 262 characters: the column holds 254


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        failed = {k: v for k, v in RESULTS.items() if v != "refused"}
        print_summary(
            request,
            f"security citizen forms: {len(RESULTS)} attacks, "
            f"{len(RESULTS) - len(failed)} refused with nothing stored, {len(failed)} failed",
        )


@pytest.fixture
def captcha_test_mode(monkeypatch):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def fresh_browser(address="203.0.113.7"):
    """A new browser (no cookies) behind the trusted proxy, from address."""
    return Client(HTTP_HOST=DEMO_HOST, HTTP_X_FORWARDED_FOR=address, raise_request_exception=False)


def test_survey_answers_without_the_captcha_are_refused(demo, captcha_test_mode):
    survey = make_survey()
    stored = 0
    for _ in range(5):
        browser = fresh_browser()
        browser.get(survey.get_absolute_url())
        data = answer_data(survey)
        del data["captcha_0"], data["captcha_1"]
        response = browser.post(survey.get_absolute_url(), data)
        assert response.status_code == 200
        stored = SurveyResponse.objects.filter(survey=survey).count()
    RESULTS["survey without captcha × 5 fresh cookies"] = "refused" if stored == 0 else "FAILED"
    assert stored == 0
    wrong = fresh_browser()
    wrong.get(survey.get_absolute_url())
    response = wrong.post(survey.get_absolute_url(), {**answer_data(survey), "captcha_1": "wrong"})
    assert "验证码" in response.content.decode()
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_fresh_cookies_from_one_client_hit_the_per_client_limit(demo, captcha_test_mode, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.PARTICIPATION_RATE_LIMITS = {"surveyresponse": (3, 3600)}
    survey = make_survey()
    for _ in range(5):
        browser = fresh_browser("198.51.100.20")
        browser.get(survey.get_absolute_url())
        browser.post(survey.get_absolute_url(), answer_data(survey))
    stored = SurveyResponse.objects.filter(survey=survey).count()
    RESULTS["survey stuffing from one client"] = "refused" if stored == 3 else f"FAILED {stored}"
    assert stored == 3
    # Another citizen is not locked out by that one.
    other = fresh_browser("198.51.100.21")
    other.get(survey.get_absolute_url())
    assert other.post(survey.get_absolute_url(), answer_data(survey)).status_code == 302


def test_an_over_long_email_is_a_form_error_not_a_500(demo, captcha_test_mode, settings):
    settings.INTERACTION_SUBMISSIONS_PER_HOUR = 1000
    before = Message.objects.count()
    response = fresh_browser().post("/interaction/messages/new/", form_data(email=LONG_EMAIL))
    ok = response.status_code == 200 and Message.objects.count() == before
    RESULTS["mailbox e-mail of 262 characters"] = (
        "refused" if ok else f"FAILED {response.status_code}"
    )
    assert ok
    assert "254" in response.content.decode()

    consultation = make_consultation()
    comments = ConsultationComment.objects.count()
    response = fresh_browser().post(
        consultation.get_absolute_url(),
        {
            "content": "建议延长开放时间。",
            "name": "王五",
            "email": LONG_EMAIL,
            "captcha_0": "test-key",
            "captcha_1": "PASSED",
        },
    )
    ok = response.status_code == 200 and ConsultationComment.objects.count() == comments
    RESULTS["consultation e-mail of 262 characters"] = "refused" if ok else "FAILED"
    assert ok, response.status_code


def test_the_survey_cookie_is_secure_in_production(demo, settings):
    settings.SESSION_COOKIE_SECURE = True
    survey = make_survey()
    cookie = fresh_browser().get(survey.get_absolute_url()).cookies["participant"]
    RESULTS["survey cookie over plain HTTP"] = "refused" if cookie["secure"] else "FAILED"
    assert cookie["secure"] and cookie["httponly"]


def test_showing_the_citizens_forms_writes_no_captcha_row(demo, settings):
    settings.CAPTCHA_POOL_SIZE = 20
    assert refill_captchas() == 20  # the worker's task, run for real
    pool = set(CaptchaStore.objects.values_list("hashkey", flat=True))
    pages = ["/interaction/messages/new/", make_survey().get_absolute_url()]
    pages.append(make_consultation().get_absolute_url())
    for page in pages:
        for _ in range(5):
            html = fresh_browser().get(page).content.decode()
            key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
            assert key in pool
    written = CaptchaStore.objects.count() - len(pool)
    RESULTS["15 anonymous GETs of citizens' forms"] = "refused" if written == 0 else "FAILED"
    assert written == 0
    assert refill_captchas() == 0
