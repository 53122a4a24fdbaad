"""The staff's daily pages pass axe-core (WCAG 2.1 A/AA) with 0 violations: the article form
with its editor, Word import, the review sheet, the pickers, offline windows, notifications.
The count per page is printed (pytest -s)."""

import os

import pytest
from django.contrib.auth import get_user_model

from columns.models import Column, Unit
from interaction import services as mailbox_services
from publishing import services as publishing_services
from publishing.models import Article

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = os.environ.get("DEMO_PASSWORD", "Portal-Demo-2026")


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def submitted_article():
    column = Column.objects.get(site__site_code="5201020001", slug="edu-news")
    author = get_user_model().objects.get(username="edu_liaison")
    article = Article(
        title="无障碍检查稿件",
        body="<p>获奖教师：张老师，手机13812345678。</p>",
        column=column,
        unit=column.unit,
        author=author,
    )
    publishing_services.save_article(article=article, by=author)
    publishing_services.submit(article=article, by=author)
    return article


def pages_of(username, demo):
    if username == "edu_liaison":
        article = submitted_article()
        return [
            "/admin/publishing/article/add/",
            "/admin/publishing/article/import-word/",
            f"/admin/publishing/article/{article.pk}/sheet/",
            "/admin/columns/notification/",
        ]
    if username == "operator":
        return [
            "/admin/columns/offlinewindow/",
            "/admin/columns/offlinewindow/add/",
            f"/admin/columns/unit/{Unit.objects.get(name='区教育局').pk}/change/",
        ]
    message, _password = mailbox_services.submit_message(
        site=demo,
        kind="consultation",
        subject="无障碍检查留言",
        content="请问招生政策？",
        name="张三",
        phone="13900001111",
        email="zhangsan@example.com",
    )
    return [f"/admin/interaction/message/{message.pk}/change/"]


@pytest.mark.parametrize("username", ["edu_liaison", "operator", "dispatcher"])
def test_staff_daily_pages_have_no_axe_violations(page, demo, username):
    paths = pages_of(username, demo)
    console = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, username)
    found = {}
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        found[path] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
        print(f"axe {username} {path}: {sum(len(v['nodes']) for v in violations)} failing")
        if violations:
            screenshot(page, "axe-" + path.strip("/").replace("/", "-"))
    assert not any(found.values()), found
    # The editor runs under its open-source licence, not in evaluation mode.
    assert not [text for text in console if "evaluation mode" in text], console
