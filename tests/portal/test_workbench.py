"""工作台: /admin/ shows each role what it must do now, with counts and links to where the work
is done; the model list is one click further (全部功能)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from columns.models import Column
from interaction import services as mailbox_services
from monitoring.inspections.models import ProblemStatus, SpotCheckProblem
from publishing import services as publishing_services
from publishing.models import Article

pytestmark = pytest.mark.django_db


def counts(response):
    """{entry key: count} as the workbench shows them."""
    html = response.content.decode()
    found = re.findall(r'id="entry-([a-z_]+)".*?(?:data-count="(\d+)"|</section>)', html, re.S)
    return {key: int(count) for key, count in found if count != ""}


def entry_html(response, key):
    html = response.content.decode()
    match = re.search(
        rf'<section class="workbench-entry" id="entry-{key}".*?</section>', html, re.S
    )
    assert match, f"no entry {key}"
    return match.group(0)


def user(username):
    return get_user_model().objects.get(username=username)


def draft(title, author="edu_liaison", slug="edu-news"):
    column = Column.objects.get(site__site_code="5201020001", slug=slug)
    article = Article(
        title=title, body="<p>正文</p>", column=column, unit=column.unit, author=user(author)
    )
    return publishing_services.save_article(article=article, by=user(author))


def returned(title):
    article = draft(title)
    run = publishing_services.submit(article=article, by=article.author)
    publishing_services.decide(
        run=run, step_index=0, by=user("edu_head"), outcome="return", comment="请补充。"
    )
    article.refresh_from_db()
    return article


def test_liaison_sees_returned_drafts_and_messages_to_answer_of_their_unit(login_as, demo):
    before = counts(login_as("edu_liaison").get("/admin/"))

    back = returned("退回的测试稿件")
    mine = draft("新的测试草稿")
    draft("财政局的草稿", author="fin_liaison", slug="fin-news")
    message, _password = mailbox_services.submit_message(
        site=demo,
        kind="consultation",
        subject="测试咨询招生",
        content="请问招生政策？",
        name="张三",
        phone="13900001111",
        email="z@example.com",
    )
    from columns.models import Unit

    mailbox_services.route(
        message=message, by=user("dispatcher"), unit=Unit.objects.get(name="区教育局")
    )

    response = login_as("edu_liaison").get("/admin/")
    assert response.status_code == 200
    after = counts(response)
    assert after["returned"] == before["returned"] + 1
    assert after["drafts"] == before["drafts"] + 1
    assert after["to_answer"] == before["to_answer"] + 1
    change = reverse("admin:publishing_article_change", args=[back.pk])
    assert f'href="{change}"' in entry_html(response, "returned")
    assert reverse("admin:publishing_article_change", args=[mine.pk]) in entry_html(
        response, "drafts"
    )
    assert "财政局的草稿" not in response.content.decode()
    answer = entry_html(response, "to_answer")
    assert reverse("admin:interaction_message_change", args=[message.pk]) in answer
    assert f"{message.due_at:%Y}" in answer  # the deadline is shown
    # A liaison has no reviewer's, dispatcher's or operator's sections.
    assert not {"to_review", "to_route", "objections", "verdicts"} & after.keys()
    assert "?status__exact=returned" in entry_html(response, "returned")


def test_section_head_sees_articles_waiting_for_their_step_oldest_first(login_as):
    before = counts(login_as("edu_head").get("/admin/"))
    first = draft("先提交的稿件")
    publishing_services.submit(article=first, by=first.author)
    second = draft("后提交的稿件")
    publishing_services.submit(article=second, by=second.author)

    response = login_as("edu_head").get("/admin/")
    after = counts(response)
    assert after["to_review"] == before["to_review"] + 2
    review = entry_html(response, "to_review")
    assert reverse("admin:publishing_article_inbox") in review
    assert "returned" not in after and "to_route" not in after
    # Oldest first, each linking to its review page.
    first_at = review.index(reverse("admin:publishing_article_change", args=[first.pk]))
    assert first_at < review.index(reverse("admin:publishing_article_change", args=[second.pk]))
    # Another unit's head is not asked.
    assert "先提交的稿件" not in login_as("fin_head").get("/admin/").content.decode()


def test_dispatcher_sees_messages_to_route_and_overdue(login_as, demo):
    before = counts(login_as("dispatcher").get("/admin/"))
    message, _password = mailbox_services.submit_message(
        site=demo,
        kind="consultation",
        subject="待分办的测试留言",
        content="内容",
        name="李四",
        phone="13900002222",
        email="l@example.com",
    )
    response = login_as("dispatcher").get("/admin/")
    after = counts(response)
    assert after["to_route"] == before["to_route"] + 1
    assert (
        reverse("admin:interaction_message_change", args=[message.pk])
        in entry_html(response, "to_route")
        or after["to_route"] > 5
    )
    assert {"transfers", "extensions", "overdue"} <= after.keys()
    assert "to_review" not in after and "returned" not in after


def test_inspector_sees_verdicts_per_site_and_open_rectifications(login_as):
    response = login_as("inspector").get("/admin/")
    after = counts(response)
    verdicts = entry_html(response, "verdicts")
    from columns.models import Site

    for site in Site.objects.filter(status=Site.Status.OPEN):
        assert site.name in verdicts
        assert f"?site={site.pk}" in verdicts
    open_count = SpotCheckProblem.objects.filter(
        campaign__status="open", status__in=[ProblemStatus.OPEN, ProblemStatus.RETURNED]
    ).count()
    assert after["to_rectify"] == open_count
    assert "status__in=open%2Creturned" in entry_html(response, "to_rectify")
    assert "to_route" not in after


def test_operator_sees_objections_topic_requests_calendar_and_offline_windows(login_as):
    response = login_as("operator").get("/admin/")
    after = counts(response)
    assert {"objections", "topic_requests", "offline"} <= after.keys()
    assert 'id="entry-calendar"' in response.content.decode()
    assert reverse("admin:functions") in response.content.decode()


def test_all_functions_page_lists_the_models(login_as):
    response = login_as("operator").get(reverse("admin:functions"))
    assert response.status_code == 200
    assert reverse("admin:publishing_article_changelist") in response.content.decode()


# --- 预览 ------------------------------------------------------------------------------------


def test_preview_shows_a_draft_to_its_author_marked_and_not_indexed(login_as, client):
    article = draft("预览测试草稿")
    url = reverse("admin:article_preview", args=[article.pk])
    response = login_as("edu_liaison").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "预览测试草稿" in html and 'class="preview-banner"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    # The public page of the same draft is still a 404.
    assert client.get(article.get_absolute_url()).status_code == 404


def test_preview_of_a_submission_for_its_reviewer_and_nobody_else(login_as, client):
    article = draft("审核中的预览稿件")
    publishing_services.submit(article=article, by=article.author)
    url = reverse("admin:article_preview", args=[article.pk])
    assert login_as("edu_head").get(url).status_code == 200
    assert login_as("fin_liaison").get(url).status_code == 404
    assert login_as("fin_head").get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_view_on_site_of_a_draft_opens_the_preview(login_as):
    article = draft("在站点上查看的草稿")
    response = login_as("edu_liaison").get(
        reverse("admin:publishing_article_change", args=[article.pk])
    )
    assert reverse("admin:article_preview", args=[article.pk]) in response.content.decode()


def test_reviewer_reads_the_body_rendered_with_findings_marked(login_as):
    column = Column.objects.get(site__site_code="5201020001", slug="edu-news")
    author = user("edu_liaison")
    article = publishing_services.save_article(
        article=Article(
            title="含有问题的稿件",
            body="<p>本单位于<strong>2026</strong>年召开会议，中华人名共和国有关规定。</p>",
            column=column,
            unit=column.unit,
            author=author,
        ),
        by=author,
    )
    publishing_services.check_content(article=article)
    findings = list(article.content_findings.filter(source="body"))
    assert findings, "the demo's check lists flag this wording"
    publishing_services.submit(article=article, by=author)
    response = login_as("edu_head").get(
        reverse("admin:publishing_article_change", args=[article.pk])
    )
    html = response.content.decode()
    body = html[html.index('class="rendered-body"') :]
    body = body[: body.index("</div>")]
    assert "<strong>2026</strong>" in body  # rendered, not source
    for finding in findings:
        assert f"<mark>{finding.match}</mark>" in body
    # The approve and return buttons follow the body they decide on.
    assert html.index('class="rendered-body"') < html.index('value="approve"')
