"""Each change re-renders exactly the static pages that show what changed, once, through the
queue and the render task; pages that no longer answer lose their file."""

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from columns.models import Column, Site
from interaction.models import Message
from publishing.models import Article
from publishing.tasks import publish_and_expire
from staticsite.models import PendingRender, PublishedPage
from tests.portal.published import publish, service_item, withdraw

from .conftest import EDU_HOST, PORTAL_HOST, drain, list_pages, page_file, written_paths

pytestmark = pytest.mark.django_db

POLICY_LINEAGE = [
    "/columns/xxgk/",
    "/columns/xxgk/policies/",
    "/columns/xxgk/policies/edu-policies/",
]


def on_portal(paths):
    return {(PORTAL_HOST, path) for path in paths}


def pages_showing_article(article, lineage):
    """What a published article of the portal appears on, as the application answers now."""
    paths = {f"/articles/{article.pk}/", f"/articles/{article.pk}/print/", "/", "/sitemap.xml"}
    for url in lineage:
        paths |= {*list_pages(PORTAL_HOST, url), f"{url}rss.xml"}
    if article.index_number:  # listed in the 信息公开 catalogue
        paths |= {"/xxgk/", *list_pages(PORTAL_HOST, "/xxgk/catalogue/")}
    return on_portal(paths)


def test_publishing_an_article_rerenders_its_page_its_columns_the_homepage_and_sitemap_only(
    published, activity
):
    home_before = page_file(published, PORTAL_HOST, "/").read_bytes()
    untouched = written_paths()

    article = publish("静态发布测试：新政策", column="edu-policies")
    assert not activity.rendered, "rendered before the worker ran"
    # The worker is asked to render after the burst, not at once.
    assert activity.dispatched
    assert {call["countdown"] for call in activity.dispatched} == {
        settings.STATIC_PAGES_COALESCE_SECONDS
    }
    assert settings.STATIC_PAGES_COALESCE_SECONDS > 0
    drain()

    expected = pages_showing_article(article, POLICY_LINEAGE)
    # /columns/xxgk/ lists 33 items now: both of its pages shift by one.
    assert (PORTAL_HOST, "/columns/xxgk/?page=2") in expected
    assert activity.rendered_paths == expected
    assert set(activity.rendered.values()) == {1}
    assert not PendingRender.objects.exists()
    assert "静态发布测试：新政策" in page_file(published, PORTAL_HOST, "/").read_text()
    assert page_file(published, PORTAL_HOST, "/").read_bytes() != home_before
    for path in (f"/articles/{article.pk}/", "/columns/xxgk/policies/edu-policies/"):
        assert "静态发布测试：新政策" in page_file(published, PORTAL_HOST, path).read_text()
    # Every other written page is as it was; the edu site was not touched at all.
    assert written_paths() == untouched | expected
    assert not any(host == EDU_HOST for host, _ in activity.rendered)


def test_a_new_last_page_is_written_and_deleted_again_when_the_column_shrinks(published, activity):
    assert list_pages(PORTAL_HOST, "/columns/news/") == ["/columns/news/"]  # 18 items
    articles = [publish(f"静态分页测试{n}", column="headlines") for n in range(3)]
    drain()
    second = page_file(published, PORTAL_HOST, "/columns/news/?page=2")
    assert second.exists()
    assert (PORTAL_HOST, "/columns/news/?page=2") in written_paths()

    for article in articles:
        withdraw(article)
    drain()
    assert not second.exists()
    assert (PORTAL_HOST, "/columns/news/?page=2") not in written_paths()


def test_a_withdrawn_item_disappears_from_every_page_and_every_site_that_showed_it(
    published, activity
):
    shown_on_portal = Column.objects.get(site__site_code="5201020001", slug="gov-docs")
    article = publish("跨站引用的招生政策", column="policies", site_code="5201020002")
    with TestCase.captureOnCommitCallbacks(execute=True):
        article.extra_columns.add(shown_on_portal)  # 信息引用: shown on the portal too
    drain()
    own = page_file(published, EDU_HOST, f"/articles/{article.pk}/")
    copy = page_file(published, PORTAL_HOST, f"/articles/{article.pk}/")
    assert own.exists() and copy.exists()
    listed = [
        p for p in published.rglob("*") if p.is_file() and "跨站引用的招生政策" in p.read_text()
    ]
    assert {p.relative_to(published).parts[0] for p in listed} == {PORTAL_HOST, EDU_HOST}
    activity.clear()

    withdraw(article)
    drain()
    assert not own.exists() and not copy.exists()
    assert not PublishedPage.objects.filter(path__startswith=f"/articles/{article.pk}/").exists()
    still = [
        p for p in published.rglob("*") if p.is_file() and "跨站引用的招生政策" in p.read_text()
    ]
    assert still == []
    # The column pages that listed it were rendered again, on both sites.
    assert {
        (PORTAL_HOST, "/columns/xxgk/policies/gov-docs/"),
        (EDU_HOST, "/columns/policies/"),
    } <= (activity.rendered_paths)


def test_scheduled_publication_and_expiry_publish_and_remove_the_page(
    published, activity, make_article, clock
):
    from .conftest import approve_all

    article = make_article(
        title="定时发布的静态页", published_at=timezone.now() + timedelta(hours=1)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        approve_all(article)
    drain()
    page = page_file(published, PORTAL_HOST, f"/articles/{article.pk}/")
    assert not page.exists()

    clock.move(hours=2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        publish_and_expire.apply()
    drain()
    assert page.exists()

    Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        publish_and_expire.apply()
    drain()
    assert not page.exists()
    assert "定时发布的静态页" not in page_file(published, PORTAL_HOST, "/sitemap.xml").read_text()


def test_a_service_item_change_rerenders_the_catalogue_its_guides_and_the_homepage(
    published, activity
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        item = service_item("静态发布测试事项")
    drain()
    guides = {
        f"/services/{pk}/"
        for pk in Site.objects.get(site_code="5201020001")
        .service_items.filter(is_published=True)
        .values_list("pk", flat=True)
    }
    assert activity.rendered_paths == on_portal({"/", "/services/", "/sitemap.xml", *guides})
    assert f"/services/{item.pk}/" in guides
    assert "静态发布测试事项" in page_file(published, PORTAL_HOST, "/services/").read_text()


def test_a_message_made_public_or_private_rerenders_the_message_list_and_its_page(
    published, activity
):
    message = Message.objects.filter(site__site_code="5201020001", is_public=True).first()
    page = page_file(published, PORTAL_HOST, f"/interaction/messages/{message.pk}/")
    assert page.exists()
    expected = on_portal(
        {
            *list_pages(PORTAL_HOST, "/interaction/messages/"),
            f"/interaction/messages/{message.pk}/",
            "/sitemap.xml",
        }
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        message.is_public = False
        message.save()
    drain()
    assert activity.rendered_paths == expected
    assert not page.exists()
    activity.clear()

    with TestCase.captureOnCommitCallbacks(execute=True):
        message.is_public = True
        message.save()
    drain()
    assert activity.rendered_paths == expected
    assert page.exists()


def test_a_column_rename_or_a_site_setting_rerenders_every_page_of_that_site_only(
    published, activity
):
    column = Column.objects.get(site__site_code="5201020002", slug="enrolment")
    with TestCase.captureOnCommitCallbacks(execute=True):
        column.name = "招生入学（改名）"
        column.save()
    drain()
    edu_pages = written_paths(EDU_HOST)
    assert activity.rendered_paths == edu_pages
    for path in ("/", "/sitemap/", "/columns/news/"):
        assert "招生入学（改名）" in page_file(published, EDU_HOST, path).read_text()
    activity.clear()

    site = Site.objects.get(site_code="5201020002")
    with TestCase.captureOnCommitCallbacks(execute=True):
        site.save()
    drain()
    assert activity.rendered_paths == written_paths(EDU_HOST)


def test_ten_edits_in_a_burst_render_each_page_once(published, activity):
    article = Article.objects.filter(
        column__site__site_code="5201020002", status="published"
    ).first()
    for n in range(10):
        with TestCase.captureOnCommitCallbacks(execute=True):
            article.title = f"连续修改 {n}"
            article.save()
    assert len(activity.dispatched) == 10
    queued = PendingRender.objects.count()
    assert queued == len(set(PendingRender.objects.values_list("host", "path")))
    done = drain()
    assert sum(done.values()) == queued
    assert set(activity.rendered.values()) == {1}
    assert (EDU_HOST, f"/articles/{article.pk}/") in activity.rendered
    assert "连续修改 9" in page_file(published, EDU_HOST, f"/articles/{article.pk}/").read_text()
    assert drain() == {}


def test_a_render_killed_midway_leaves_its_page_queued_for_the_next_tick(
    published, activity, monkeypatch
):
    from staticsite import rendering

    article = publish("中途被杀的渲染", column="edu-news")
    queued = set(PendingRender.objects.values_list("host", "path"))
    real_render = rendering.render
    calls = Counter()

    def killed(host, path):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")
        return real_render(host, path)

    monkeypatch.setattr(rendering, "render", killed)
    with pytest.raises(SystemExit):
        drain()
    left = set(PendingRender.objects.values_list("host", "path"))
    assert len(left) == len(queued) - 2
    monkeypatch.setattr(rendering, "render", real_render)
    drain()
    assert not PendingRender.objects.exists()
    assert page_file(published, PORTAL_HOST, f"/articles/{article.pk}/").exists()
