"""信息发布审核单: every step of a review, pending ones too, and every content-check finding
a reviewer let through, with who and why."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from publishing.models import FindingOverride

from .test_content_checks_review import new_article, override
from .test_review_chain import act_url, decide

pytestmark = pytest.mark.django_db


def sheet_rows(html):
    return [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)]


def test_sheet_lists_pending_steps_and_released_findings(login_as, column_named):
    liaison = login_as("edu_liaison")
    article, _response = new_article(
        liaison,
        column_named("edu-news"),
        title="审核单放行测试",
        importance="important",
        body="<p>获奖教师：张老师，手机13812345678。</p>",
    )
    liaison.post(act_url(article, "submit"))
    head = login_as("edu_head")
    [finding] = article.content_findings.all()
    override(head, article, finding, "获奖教师本人同意公开联系方式。")
    decide(head, article, "approve", "初审意见：同意。")
    assert FindingOverride.objects.count() == 1

    html = liaison.get(reverse("admin:publishing_article_sheet", args=[article.pk])).content
    rows = sheet_rows(html.decode())
    with translation.override("zh-hans"):
        waiting, not_reached = gettext("Waiting for review"), gettext("Not reached")
        rule = FindingOverride.objects.get().get_rule_display()
    assert any("初审" in row and "教育科长" in row and "初审意见：同意。" in row for row in rows)
    assert any("复审" in row and waiting in row for row in rows), rows
    assert any("终审" in row and not_reached in row for row in rows), rows
    assert any(
        rule in row
        and "138****5678" in row
        and "教育科长" in row
        and "获奖教师本人同意公开联系方式。" in row
        for row in rows
    ), rows
