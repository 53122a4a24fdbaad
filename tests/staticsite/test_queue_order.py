"""The order the worker renders the queue in: a change's pages before a rebuild's backlog,
the pages a reader looks at first before a list's later pages."""

import io

import pytest
from django.core.management import call_command
from django.test import TestCase

from columns.models import Column
from publishing import page_tags
from staticsite import services
from staticsite.models import PendingRender
from tests.portal.published import publish

from .conftest import EDU_HOST, PORTAL_HOST, drain

pytestmark = pytest.mark.django_db

EDU = "5201020002"
PORTAL = "5201020001"


def queue_rebuild(site_code):
    call_command("publish_static", "--site", site_code, "--queue", stdout=io.StringIO())


def assert_readers_pages_first(rendered):
    """The pages readers open (HTML pages, first pages of lists) before a list's later pages,
    the feeds and the sitemap."""
    following = [n for n, (_host, path) in enumerate(rendered) if not path.endswith("/")]
    first = [n for n, (_host, path) in enumerate(rendered) if path.endswith("/")]
    assert {rendered[n][1] for n in following} >= {"/columns/news/?page=2", "/sitemap.xml"}
    assert max(first) < min(following), rendered


def test_a_changes_pages_are_rendered_before_the_backlog_of_a_rebuild_queued_earlier(
    published, activity
):
    queue_rebuild(EDU)
    # Three new items: /columns/news/ (18 items) gets a second page.
    articles = [publish(f"优先发布测试{n}", column="headlines") for n in range(3)]
    drain()

    rendered = list(activity.rendered)
    change = [page for page in rendered if page[0] == PORTAL_HOST]
    backlog = [page for page in rendered if page[0] == EDU_HOST]
    assert (PORTAL_HOST, "/") in change
    assert {(PORTAL_HOST, f"/articles/{a.pk}/") for a in articles} <= set(change)
    # The whole edu site was rendered, and only after every page of the change.
    assert len(backlog) > len(change)
    assert rendered == change + backlog
    assert_readers_pages_first(change)


def test_a_rebuild_queued_after_a_change_does_not_push_the_changes_pages_back(published, activity):
    publish("重建不降级测试", column="headlines")
    change = set(PendingRender.objects.values_list("host", "path"))
    queue_rebuild(PORTAL)
    # A later change on the other site goes after the first change, before the rebuild.
    publish("重建不降级测试（教育）", column="policies", site_code=EDU)
    drain()

    rendered = list(activity.rendered)
    readers = [n for n, page in enumerate(rendered) if page in change and page[1].endswith("/")]
    changes = [n for n, page in enumerate(rendered) if page in change or page[0] == EDU_HOST]
    edu = [n for n, page in enumerate(rendered) if page[0] == EDU_HOST]
    rebuild = [n for n, page in enumerate(rendered) if n not in changes]
    assert readers and edu and len(rebuild) > len(changes)
    assert max(readers) < min(edu)
    assert max(changes) < min(rebuild)


def test_a_whole_sites_republication_waits_behind_a_change_on_another_site(published, activity):
    column = Column.objects.get(site__site_code=EDU, slug="policies")
    column.name = "政策文件（更名）"
    with TestCase.captureOnCommitCallbacks(execute=True):
        column.save()  # every edu page carries the navigation: the whole site is queued
    renamed = {
        (host, path) for _site, host, path in services.affected_pages({page_tags.column(column.pk)})
    }
    article = publish("跨站优先测试", column="headlines")
    drain()

    rendered = list(activity.rendered)
    whole_site = [page for page in rendered if page[0] == EDU_HOST and page not in renamed]
    assert (PORTAL_HOST, f"/articles/{article.pk}/") in rendered
    assert (EDU_HOST, "/columns/policies/") in renamed
    # The renamed column's own pages, then the portal's change, then the rest of the edu site.
    assert rendered == [p for p in rendered if p in renamed or p[0] == PORTAL_HOST] + whole_site
    assert len(whole_site) > len(rendered) // 2
