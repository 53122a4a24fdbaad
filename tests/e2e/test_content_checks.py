"""The content check in a real browser: the reviewer sees the findings on the article page,
personal data masked, and lets a phone number through with a reason."""

import pytest
from django.contrib.auth import get_user_model

from columns.models import Column
from publishing import services
from publishing.models import Article, FindingOverride, WordingCorrection

from .conftest import screenshot
from .test_review_admin import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def submitted_article():
    # The starter dictionary has this entry, but a transactional test before this one may
    # have flushed what the migration loaded.
    WordingCorrection.objects.get_or_create(
        wrong="中华人民共合国", defaults={"right": "中华人民共和国", "kind": "expression"}
    )
    liaison = get_user_model().objects.get(username="edu_liaison")
    column = Column.objects.get(site__site_code="5201020001", slug="edu-news")
    article = Article(
        title="优秀教师表彰名单公示",
        body=(
            "<p>根据《中华人民共合国教师法》，现将表彰名单公示如下。</p>"
            "<p>联系人：王老师，电话13812345678。</p>"
        ),
        column=column,
        unit=column.unit,
        author=liaison,
        importance="general",
    )
    services.save_article(article=article, by=liaison)
    services.submit(article=article, by=liaison)
    return article


def test_reviewer_sees_findings_and_lets_personal_data_through(page):
    article = submitted_article()
    sign_in(page, "edu_head")
    page.goto(f"/admin/publishing/article/{article.pk}/change/")
    check = page.locator("section.content-check")
    text = check.inner_text()
    assert "内容检查" in text and "138****5678" in text and "13812345678" not in text
    assert "应为“中华人民共和国”。" in text
    screenshot(page, "content-check-reviewer")

    page.fill("input[name=reason]", "联系人本人同意公开办公手机。")
    page.get_by_role("button", name="放行").click()
    page.wait_for_load_state()
    assert "已放行，理由已记入审核记录" in page.locator("body").inner_text()
    assert "联系人本人同意公开办公手机。" in page.locator("section.content-check").inner_text()
    assert FindingOverride.objects.get().decided_by.username == "edu_head"
    screenshot(page, "content-check-overridden")
