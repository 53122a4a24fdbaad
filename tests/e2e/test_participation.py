"""Public participation in a real browser: a citizen comments on an open consultation, answers
a survey and watches an interview's live page update when the host posts an answer."""

from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.utils import timezone

from columns.models import Column, Site
from interaction.participation import services
from interaction.participation.models import (
    Consultation,
    ConsultationComment,
    Guest,
    Interview,
    QuestionKind,
    Survey,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from publishing import services as publishing_services
from publishing.models import Article

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def account(username):
    return get_user_model().objects.get(username=username)


def open_consultation():
    column = Column.objects.get(site__site_code="5201020001", slug="edu-policies")
    liaison = account("edu_liaison")
    article = publishing_services.save_article(
        article=Article(
            title="示例区校外培训机构管理办法（征求意见稿）",
            body="<p>第一条 为规范校外培训，制定本办法。</p><p>第二条 培训时间不得晚于20:30。</p>",
            column=column,
            unit=column.unit,
            author=liaison,
        ),
        by=liaison,
    )
    run = publishing_services.submit(article=article, by=liaison)
    for reviewer in ("edu_head", "edu_deputy"):
        run.refresh_from_db()
        publishing_services.decide(
            run=run, step_index=run.current_index, by=account(reviewer), outcome="approve"
        )
    article.refresh_from_db()
    now = timezone.now()
    return services.save_consultation(
        consultation=Consultation(
            site=Site.objects.get(site_code="5201020001"),
            unit=column.unit,
            title="《示例区校外培训机构管理办法》公开征求意见",
            document=article,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=20),
        ),
        by=liaison,
    )


def fill_captcha(page):
    hashkey = page.locator("input[name=captcha_0]").input_value()
    page.locator("input[name=captcha_1]").fill(CaptchaStore.objects.get(hashkey=hashkey).response)


def test_citizen_comments_on_an_open_consultation(page, phone_page):
    consultation = open_consultation()
    page.goto("/interaction/consultations/")
    assert page.get_by_role("link", name=consultation.title).count() == 1
    assert_accessible(page)
    screenshot(page, "participation-consultations-desktop")
    page.get_by_role("link", name=consultation.title).click()
    page.wait_for_url(f"**{consultation.get_absolute_url()}")
    assert "第二条 培训时间不得晚于20:30。" in page.inner_text("main")
    page.get_by_label("您的意见").fill("建议把结束时间提前到20:00，保证学生睡眠。")
    page.get_by_label("姓名").fill("陈家长")
    page.get_by_label("电话").fill("13712345678")
    fill_captcha(page)
    page.get_by_role("button", name="提交意见").click()
    page.get_by_text("感谢您的参与，您的意见已发布。").wait_for()
    comments = page.locator("#comments")
    assert "建议把结束时间提前到20:00" in comments.inner_text()
    assert "陈**" in comments.inner_text() and "13712345678" not in page.content()
    assert ConsultationComment.objects.filter(consultation=consultation).count() == 1
    screenshot(page, "participation-consultation-desktop")
    assert_accessible(page)

    phone_page.goto(consultation.get_absolute_url())
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "participation-consultation-phone")
    assert_accessible(phone_page)


def make_survey():
    liaison = account("edu_liaison")
    now = timezone.now()
    survey = services.save_survey(
        survey=Survey(
            site=Site.objects.get(site_code="5201020001"),
            unit=liaison.staff_profile.unit,
            title="社区图书馆开放时间调查",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10),
        ),
        by=liaison,
    )
    for position, (text, kind, required, options) in enumerate(
        [
            ("您多久去一次图书馆？", QuestionKind.SINGLE, True, ["每周", "每月", "很少"]),
            ("您希望增加哪些时段？", QuestionKind.MULTIPLE, True, ["早上", "晚上", "周末"]),
            ("其他建议", QuestionKind.TEXT, False, []),
        ]
    ):
        question = SurveyQuestion.objects.create(
            survey=survey, position=position, text=text, kind=kind, required=required
        )
        for index, option in enumerate(options):
            SurveyChoice.objects.create(question=question, position=index, text=option)
    return services.publish_survey(survey=survey, by=liaison)


def test_citizen_answers_a_survey_once_and_sees_published_results(page, phone_page):
    survey = make_survey()
    page.goto(survey.get_absolute_url())
    assert_accessible(page)
    page.get_by_label("每月").check()
    page.get_by_label("晚上").check()
    page.get_by_label("周末").check()
    page.get_by_label("其他建议").fill("希望有自习区。")
    fill_captcha(page)
    page.get_by_role("button", name="提交答卷").click()
    page.get_by_text("感谢您参与本次调查。").wait_for()
    assert "您已参与本次调查" in page.inner_text("main")
    assert page.get_by_role("button", name="提交答卷").count() == 0
    response = SurveyResponse.objects.get(survey=survey)
    assert sorted(c.text for a in response.answers.all() for c in a.choices.all()) == [
        "周末",
        "晚上",
        "每月",
    ]
    screenshot(page, "participation-survey-answered-desktop")

    # The demo's closed survey shows its published results as charts and tables.
    closed = Survey.objects.get(title="2026年秋季学期课后服务满意度调查")
    page.goto(closed.get_absolute_url())
    page.locator(".chart canvas").first.wait_for()
    assert page.locator(".chart canvas").count() == 3
    assert "共48人参与。" in page.inner_text("main")
    screenshot(page, "participation-survey-results-desktop")
    assert_accessible(page)
    phone_page.goto(closed.get_absolute_url())
    phone_page.locator(".chart canvas").first.wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "participation-survey-results-phone")
    assert_accessible(phone_page)


def test_interview_page_updates_without_reloading_when_the_host_posts(page, phone_page, settings):
    settings.PARTICIPATION_POLL_MS = 500
    liaison = account("edu_liaison")
    now = timezone.now()
    interview = services.save_interview(
        interview=Interview(
            site=Site.objects.get(site_code="5201020001"),
            unit=liaison.staff_profile.unit,
            title="家门口的好学校——在线访谈",
            starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=1),
        ),
        by=liaison,
    )
    guest = Guest.objects.create(interview=interview, name="刘芳", title="区教育局副局长")
    services.publish_interview(interview=interview, by=liaison)
    question = services.ask_question(
        interview=interview, nickname="家长老周", content="新校区什么时候招生？"
    )
    services.screen_question(question=question, by=liaison, accept=True)
    services.start_interview(interview=interview, by=liaison)

    page.goto(interview.get_absolute_url())
    assert_accessible(page)
    page.evaluate("window.__sameDocument = true")
    assert page.locator("#transcript li").count() == 0

    services.post_entry(interview=interview, by=liaison, text="欢迎收看今天的在线访谈。")
    services.post_entry(
        interview=interview,
        by=liaison,
        guest=guest,
        question=question,
        text="新校区明年春季学期开始招生，具体安排将在教育局网站公布。",
    )
    page.get_by_text("新校区明年春季学期开始招生").wait_for(timeout=15000)
    assert page.evaluate("window.__sameDocument") is True  # updated in place, not reloaded
    items = page.locator("#transcript li")
    assert items.count() == 2
    assert "主持人：欢迎收看今天的在线访谈。" in items.nth(0).inner_text()
    assert "家长老周 问： 新校区什么时候招生？" in items.nth(1).inner_text()
    assert "区教育局副局长 刘芳：" in items.nth(1).inner_text()
    screenshot(page, "participation-interview-live-desktop")
    assert_accessible(page)

    services.end_interview(interview=interview, by=liaison)
    page.get_by_text("往期回顾").first.wait_for(timeout=15000)
    phone_page.goto(interview.get_absolute_url())
    assert "文字实录全文" in phone_page.inner_text("main")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "participation-interview-archive-phone")
    assert_accessible(phone_page)


def test_listings_of_surveys_and_interviews_are_accessible(page, phone_page):
    for url, name in [
        ("/interaction/surveys/", "surveys"),
        ("/interaction/interviews/", "interviews"),
    ]:
        page.goto(url)
        assert page.locator(".items li").count() >= 2
        screenshot(page, f"participation-{name}-desktop")
        assert_accessible(page)
        phone_page.goto(url)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone_page, f"participation-{name}-phone")
        assert_accessible(phone_page)
    closed = Consultation.objects.get(title__contains="学前教育资助实施细则")
    page.goto(closed.get_absolute_url())
    report = page.locator("section", has_text="反馈报告")
    assert "已公布结果" in page.inner_text("main")
    assert report.get_by_role("link", name=closed.report.title).count() == 1
    screenshot(page, "participation-consultation-report-desktop")
    assert_accessible(page)
    upcoming = Interview.objects.get(title="新学期招生入学政策解读在线访谈")
    page.goto(upcoming.get_absolute_url())
    assert "租房家庭的孩子如何申请入学？" in page.inner_text("main")
    screenshot(page, "participation-interview-upcoming-desktop")
    assert_accessible(page)
