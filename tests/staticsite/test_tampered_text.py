"""防篡改 at the publisher: an article's body changed in the database behind the review is never
written into its files. The next render (a change it shows, a rebuild) alerts, puts the
approved body back from its revision and publishes that; with no approved revision left the
page served is held as it is. An edit through the review chain is published as ever."""

import pytest
from django.test import TestCase

from columns.models import Column, OperationLog
from monitoring.models import TamperAlert
from publishing import services as publishing
from publishing.models import Article, ArticleRevision
from staticsite import services
from staticsite.models import PendingRender
from tests.portal.published import publish, withdraw

from .conftest import PORTAL_HOST, approve_all, drain, page_file

pytestmark = pytest.mark.django_db

APPROVED = "本局召开安全生产会议。"
TAMPERED = "本局召开娱乐活动。"


@pytest.fixture
def article(published):
    """A published article of the portal, its page and print view written."""
    article = publish("防篡改发布测试", APPROVED, column="edu-news")
    drain()
    for path in article_pages(article):
        assert APPROVED in page_file(published, PORTAL_HOST, path).read_text()
    return article


def article_pages(article):
    return [f"/articles/{article.pk}/", f"/articles/{article.pk}/print/"]


def served(root, article):
    """The bytes on disk of the article's page and print view."""
    return [page_file(root, PORTAL_HOST, path).read_bytes() for path in article_pages(article)]


def tamper_with(article):
    Article.objects.filter(pk=article.pk).update(body=f"<p>{TAMPERED}</p>")


def rename_column(article):
    """A change the article's pages show (the column's name is in their breadcrumbs)."""
    column = Column.objects.get(pk=article.column_id)
    column.name = f"{column.name}（新）"
    with TestCase.captureOnCommitCallbacks(execute=True):
        column.save()


def rebuild_portal(article):
    return services.rebuild(services.site_targets(article.column.site))


def assert_approved_text_served(root, article):
    for body in served(root, article):
        assert APPROVED.encode() in body
        assert TAMPERED.encode() not in body


def test_a_trigger_rerender_publishes_the_approved_text_back_not_the_tampered_one(
    published, article
):
    tamper_with(article)
    rename_column(article)
    drain()

    assert_approved_text_served(published, article)
    alert = TamperAlert.objects.get()
    assert alert.fingerprint.article == article
    assert alert.reason.startswith("信息正文未经审核被改动")
    article.refresh_from_db()
    assert article.body == f"<p>{APPROVED}</p>"
    restored = OperationLog.objects.get(action="article_tamper_restored")
    assert restored.target_id == str(article.pk)
    assert article.revisions.first().content["body"] == f"<p>{APPROVED}</p>"
    # The restoration queued the article's pages once more: they render unchanged.
    drain()
    assert_approved_text_served(published, article)
    assert TamperAlert.objects.count() == 1


def test_a_full_rebuild_publishes_the_approved_text_back_not_the_tampered_one(published, article):
    tamper_with(article)
    done = rebuild_portal(article)

    assert "held" not in done
    assert_approved_text_served(published, article)
    assert TamperAlert.objects.count() == 1
    article.refresh_from_db()
    assert article.body == f"<p>{APPROVED}</p>"


def test_without_an_approved_revision_the_served_page_is_held_for_staff(published, article):
    before = served(published, article)
    # Whoever changed the body changed every revision too: none holds the approved text.
    ArticleRevision.objects.filter(article=article).update(content={"body": f"<p>{TAMPERED}</p>"})
    tamper_with(article)

    rename_column(article)
    drain()
    assert served(published, article) == before
    assert not PendingRender.objects.exists()
    assert rebuild_portal(article)["held"] == 2  # the page and its print view
    assert served(published, article) == before

    alert = TamperAlert.objects.get()  # found four times, told once
    assert alert.reason.startswith("信息正文未经审核被改动")
    assert Article.objects.get(pk=article.pk).body == f"<p>{TAMPERED}</p>"
    assert not OperationLog.objects.filter(action="article_tamper_restored").exists()


def test_an_edit_through_the_review_chain_publishes_the_new_text(published, make_article):
    article = make_article(title="经审核修改的信息", column="edu-news")
    article.body = f"<p>{APPROVED}</p>"
    publishing.save_article(article=article, by=article.author)
    with TestCase.captureOnCommitCallbacks(execute=True):
        approve_all(article)
    drain()
    assert_approved_text_served(published, article)

    withdraw(article)
    article.refresh_from_db()
    article.body = "<p>本局召开安全生产会议，部署汛期工作。</p>"
    publishing.save_article(article=article, by=article.author)
    with TestCase.captureOnCommitCallbacks(execute=True):
        approve_all(article)
    drain()

    for body in served(published, article):
        assert "部署汛期工作".encode() in body
    assert not TamperAlert.objects.exists()
