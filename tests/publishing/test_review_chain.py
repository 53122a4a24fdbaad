"""三审 through the admin as the demo accounts, and the refusals of the review rules."""

import re

import pytest
from django.urls import reverse

from columns.models import Notification, OperationLog
from publishing.models import Article, ArticleStatus, ReviewDecision, ReviewRun

pytestmark = pytest.mark.django_db


def add_url():
    return reverse("admin:publishing_article_add")


def act_url(article, action):
    return reverse("admin:publishing_article_act", args=[article.pk, action])


def change_url(article):
    return reverse("admin:publishing_article_change", args=[article.pk])


def article_form(column, **overrides):
    data = {
        "title": "全区教育工作会议召开",
        "summary": "",
        "body": "<p>会议部署了下一阶段工作。</p>",
        "column": str(column.pk),
        "importance": "important",
        "byline": "区教育局",
        "origin": "original",
        "source": "",
        "source_url": "",
        "cover_alt": "",
        "published_at_0": "",
        "published_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "publish_on_approval": "on",
        "kind": "article",
        "document_number": "",
        "issuing_body": "",
        "written_on": "",
        "policy": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def decide(client, article, outcome, comment):
    run = article.review_runs.latest("submitted_at")
    run.refresh_from_db()
    return client.post(
        act_url(article, "decide"),
        {
            "run": run.pk,
            "step_index": run.current_index,
            "outcome": outcome,
            "comment": comment,
        },
        follow=True,
    )


def test_important_item_passes_three_reviews_through_the_admin_and_publishes(
    login_as, column_named, user_named
):
    liaison = login_as("edu_liaison")
    response = liaison.post(add_url(), article_form(column_named("edu-news")))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="全区教育工作会议召开")
    assert article.status == ArticleStatus.DRAFT
    assert article.author == user_named("edu_liaison")
    assert article.unit.name == "区教育局"

    response = liaison.post(act_url(article, "submit"), follow=True)
    assert "已提交审核" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW

    for username, step in (("edu_head", "初审"), ("edu_deputy", "复审"), ("edu_leader", "终审")):
        reviewer = login_as(username)
        inbox = reviewer.get(reverse("admin:publishing_article_inbox")).content.decode()
        assert "全区教育工作会议召开" in inbox and step in inbox
        page = reviewer.get(change_url(article)).content.decode()
        assert "通过" in page and "退回" in page
        response = decide(reviewer, article, "approve", f"{step}同意。")
        assert "您的审核意见已记录" in response.content.decode()
        assert Notification.objects.filter(
            recipient=user_named(username), kind="review_waiting"
        ).exists()

    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at is not None
    run = article.review_runs.get()
    assert run.status == ReviewRun.Status.APPROVED
    assert [(d.step_name, d.decided_by.username) for d in run.decisions.all()] == [
        ("初审", "edu_head"),
        ("复审", "edu_deputy"),
        ("终审", "edu_leader"),
    ]
    kinds = set(
        Notification.objects.filter(recipient=user_named("edu_liaison")).values_list(
            "kind", flat=True
        )
    )
    assert {"review_progress", "review_approved", "article_published"} <= kinds
    logged = set(
        OperationLog.objects.filter(target_id=str(article.pk)).values_list("action", flat=True)
    )
    assert {"article_submitted", "review_decision", "article_published"} <= logged
    # Nothing waits any more for anyone.
    inbox = login_as("edu_head").get(reverse("admin:publishing_article_inbox")).content.decode()
    assert "全区教育工作会议召开" not in inbox


def test_returned_item_goes_back_to_its_author_with_the_comment(login_as, make_article, user_named):
    article = make_article(title="待退回的信息")
    login_as("edu_liaison").post(act_url(article, "submit"))
    decide(login_as("edu_head"), article, "return", "第二段数据有误，请核实。")
    article.refresh_from_db()
    assert article.status == ArticleStatus.RETURNED
    note = Notification.objects.get(
        recipient=user_named("edu_liaison"), kind="review_returned", title__contains="待退回的信息"
    )
    assert note.body == "第二段数据有误，请核实。"
    mine = login_as("edu_liaison").get(reverse("admin:publishing_article_mine")).content.decode()
    assert "待退回的信息" in mine and "第二段数据有误，请核实。" in mine and "已退回" in mine

    # The author edits and resubmits: a fresh run starts at 初审.
    edited = article_form(article.column, title="待退回的信息（已修改）", importance="general")
    response = login_as("edu_liaison").post(change_url(article), edited)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    login_as("edu_liaison").post(act_url(article, "submit"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert article.review_runs.count() == 2


def test_return_without_comment_is_refused(login_as, make_article):
    article = make_article()
    login_as("edu_liaison").post(act_url(article, "submit"))
    response = decide(login_as("edu_head"), article, "return", "  ")
    assert "请说明退回原因" in response.content.decode()
    assert not ReviewDecision.objects.filter(run__article=article).exists()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_nobody_approves_their_own_submission(login_as, make_article):
    article = make_article(author="edu_head", title="科长自己写的信息")
    login_as("edu_head").post(act_url(article, "submit"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    response = decide(login_as("edu_head"), article, "approve", "同意。")
    assert "任何人不得审核自己提交的信息" in response.content.decode()
    assert not ReviewDecision.objects.filter(run__article=article).exists()
    inbox = login_as("edu_head").get(reverse("admin:publishing_article_inbox")).content.decode()
    assert "科长自己写的信息" not in inbox


def test_wrong_role_cannot_decide_the_step(login_as, make_article):
    article = make_article()
    login_as("edu_liaison").post(act_url(article, "submit"))
    response = decide(login_as("edu_deputy"), article, "approve", "越级同意。")
    assert "由区教育局的科室负责人审核" in response.content.decode()
    assert not ReviewDecision.objects.filter(run__article=article).exists()
    assert article.review_runs.get().current_index == 0


def test_other_units_reviewer_cannot_decide_or_open_the_article(login_as, make_article):
    article = make_article()
    login_as("edu_liaison").post(act_url(article, "submit"))
    fin_head = login_as("fin_head")
    assert fin_head.get(change_url(article)).status_code == 404
    assert fin_head.post(act_url(article, "decide"), {"outcome": "approve"}).status_code == 404
    inbox = fin_head.get(reverse("admin:publishing_article_inbox")).content.decode()
    assert article.title not in inbox
    assert not ReviewDecision.objects.filter(run__article=article).exists()


def test_decision_on_a_step_that_moved_on_is_refused(login_as, make_article):
    article = make_article()
    login_as("edu_liaison").post(act_url(article, "submit"))
    run = article.review_runs.get()
    head = login_as("edu_head")
    stale_form = {"run": run.pk, "step_index": 0, "outcome": "approve", "comment": "同意。"}
    head.post(act_url(article, "decide"), stale_form)
    response = head.post(
        act_url(article, "decide"), {**stale_form, "outcome": "return"}, follow=True
    )
    assert "该环节已有审核结论" in response.content.decode()
    run.refresh_from_db()
    assert run.current_index == 1
    assert run.decisions.count() == 1
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_review_sheet_lists_every_step_with_reviewer_time_and_decision(login_as, make_article):
    article = make_article(title="审核单测试信息", importance="important")
    login_as("edu_liaison").post(act_url(article, "submit"))
    decide(login_as("edu_head"), article, "approve", "初审意见：同意。")
    decide(login_as("edu_deputy"), article, "approve", "复审意见：同意。")
    decide(login_as("edu_leader"), article, "approve", "终审意见：同意发布。")
    response = login_as("edu_liaison").get(
        reverse("admin:publishing_article_sheet", args=[article.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "信息发布审核单" in html and "审核单测试信息" in html and "区教育局" in html
    for step, reviewer, comment in (
        ("初审", "教育科长", "初审意见：同意。"),
        ("复审", "刘芳", "复审意见：同意。"),
        ("终审", "张华", "终审意见：同意发布。"),
    ):
        assert step in html and reviewer in html and comment in html
    decided_at = article.review_runs.get().decisions.last().decided_at
    from django.utils import timezone

    assert timezone.localtime(decided_at).strftime("%Y-%m-%d %H:%M") in html
    assert "@media print" in open("static/publishing/review_sheet.css").read()
    assert "review_sheet.css" in html


def test_submitted_article_shows_its_body_rendered_not_as_html_source(login_as, column_named):
    author = login_as("edu_liaison")
    body = "<p>第一段<strong>重点</strong></p><ul><li>一项</li></ul>"
    form = article_form(column_named("edu-news"), title="只读正文", body=body)
    assert author.post(add_url(), form).status_code == 302
    article = Article.objects.get(title="只读正文")
    author.post(act_url(article, "submit"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW

    page = login_as("edu_head").get(change_url(article)).content.decode()
    field = re.search(
        r'<div class="[^"]*field-rendered_body.*?<div class="readonly">(.*?)</div>', page, re.S
    )
    assert field, "the read-only change page shows the body in place of the editor's field"
    assert field.group(1).strip() == body
    assert "&lt;p&gt;" not in page and "field-body" not in page
