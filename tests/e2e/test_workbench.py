"""工作台 in a real browser: each role signs in, lands on its workbench (axe-core: 0
violations), and does one piece of the day's work from it."""

import os

import pytest
from django.contrib.auth import get_user_model

from columns.models import Column, Unit
from interaction import services as mailbox_services
from publishing import services as publishing_services
from publishing.models import Article, ArticleStatus, ReviewDecision

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = os.environ.get("DEMO_PASSWORD", "Portal-Demo-2026")


def user(username):
    return get_user_model().objects.get(username=username)


def draft(title):
    column = Column.objects.get(site__site_code="5201020001", slug="edu-news")
    author = user("edu_liaison")
    article = Article(
        title=title,
        body="<p>本周全区中小学开展安全教育。</p>",
        column=column,
        unit=column.unit,
        author=author,
    )
    return publishing_services.save_article(article=article, by=author)


def sign_in_to_workbench(page, username, name):
    """Log in, land on /admin/ (the workbench), check it with axe and keep a screenshot."""
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.locator("h1").first.inner_text() == "工作台"
    screenshot(page, f"workbench-{name}")
    assert_accessible(page)


def test_liaison_opens_a_returned_draft_from_the_workbench_and_resubmits_it(page):
    article = draft("工作台测试：被退回的稿件")
    run = publishing_services.submit(article=article, by=article.author)
    publishing_services.decide(
        run=run, step_index=0, by=user("edu_head"), outcome="return", comment="请补充时间。"
    )
    sign_in_to_workbench(page, "edu_liaison", "liaison")
    page.locator("#entry-returned").get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**/publishing/article/{article.pk}/change/")
    page.get_by_role("button", name="提交审核").click()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_section_head_approves_from_the_workbench(page):
    article = draft("工作台测试：待科长审核的稿件")
    publishing_services.submit(article=article, by=article.author)
    sign_in_to_workbench(page, "edu_head", "section-head")
    page.locator("#entry-to_review").get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**/publishing/article/{article.pk}/change/")
    screenshot(page, "workbench-section-head-review")
    page.fill("textarea[name=comment]", "同意。")
    page.locator("button[value=approve]").click()
    page.wait_for_url("**/inbox/")
    decision = ReviewDecision.objects.get(run__article=article, step_index=0)
    assert decision.decided_by.username == "edu_head" and decision.outcome == "approve"


def test_dispatcher_routes_a_message_from_the_workbench(page, demo):
    message, _password = mailbox_services.submit_message(
        site=demo,
        kind="consultation",
        subject="工作台测试：学校招生咨询",
        content="请问今年的招生政策？",
        name="张三",
        phone="13900001111",
        email="z@example.com",
    )
    sign_in_to_workbench(page, "dispatcher", "dispatcher")
    page.locator("#entry-to_route").get_by_role("link", name=message.subject).click()
    page.wait_for_url(f"**/interaction/message/{message.pk}/change/")
    page.select_option("#route-unit", label="区教育局")
    page.get_by_role("button", name="分办").click()
    message.refresh_from_db()
    assert message.unit == Unit.objects.get(name="区教育局")


def test_inspector_opens_a_sites_verdict_from_the_workbench(page, demo):
    sign_in_to_workbench(page, "inspector", "inspector")
    page.locator("#entry-verdicts").get_by_role("link", name=demo.name).click()
    page.wait_for_url(f"**/monitoring/compliancedashboard/?site={demo.pk}")
    assert demo.name in page.locator("#content").inner_text()


def test_operator_opens_pending_objections_from_the_workbench(page):
    sign_in_to_workbench(page, "operator", "operator")
    page.locator("#entry-objections h3 a").click()
    page.wait_for_url("**/columns/columnobjection/?status__exact=pending")
    assert page.locator("#changelist").count() == 1
    page.goto("/admin/")
    page.locator("a[href='/admin/functions/']").click()
    page.wait_for_url("**/admin/functions/")
    assert page.locator(".app-publishing").count() == 1
