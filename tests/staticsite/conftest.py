"""Fixtures of the static publisher's tests: the demo's two sites published into a temporary
root on one host each, and a record of every page rendered and every file placed."""

import atexit
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.test import Client

from columns.models import Site, SiteHost
from staticsite import rendering, services, tasks
from staticsite.models import ContentTag, FileChange, PublishedPage
from tests.publishing.conftest import approve_all, clock, column_named, make_article  # noqa: F401

PORTAL_HOST = "localhost"
EDU_HOST = "edu.localhost"
#: Article pages published up front on the portal besides those a test adds: enough to show
#: that the other articles' pages are left alone, few enough to keep the set-up short.
SAMPLE_ARTICLES = 6


class Activity:
    """What the publisher did since the last clear(): pages rendered (host, path), files
    placed by os.replace, and render tasks asked of the broker."""

    def __init__(self):
        self.rendered = Counter()
        self.placed = []
        self.dispatched = []

    def clear(self):
        self.rendered.clear()
        self.placed.clear()
        self.dispatched.clear()

    @property
    def rendered_paths(self):
        return set(self.rendered)


@pytest.fixture
def activity(monkeypatch):
    seen = Activity()
    real_render, real_replace = rendering.render, os.replace

    def render(host, path):
        seen.rendered[(host, path)] += 1
        return real_render(host, path)

    def replace(source, target, *args, **kwargs):
        seen.placed.append(str(target))
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(rendering, "render", render)
    monkeypatch.setattr(rendering.os, "replace", replace)
    # The broker is not asked: the test runs the task itself, as the worker would after the
    # countdown, so that a burst of changes is seen queued before it is rendered.
    monkeypatch.setattr(
        tasks.render_pending, "apply_async", lambda *a, **kw: seen.dispatched.append(kw)
    )
    return seen


@pytest.fixture
def published(demo, settings, tmp_path, activity):
    """The portal and the edu site published on one host each (their other host names
    removed), every page but most of the portal's article pages; then changes publish."""
    settings.STATIC_PAGES_ROOT = tmp_path / "pages"
    publish_two_sites()
    settings.STATIC_PAGES_ENABLED = True
    activity.clear()
    return settings.STATIC_PAGES_ROOT


#: What the first publish_two_sites of the test process left (the kept files' directory, and
#: the publisher's rows): every test starts from the same demo, so the same rows and files
#: follow; putting them back takes milliseconds where rendering both sites took seconds.
_published_state = None


def _publishers_tables():
    """The tables a publication writes, parents first."""
    return [ContentTag, PublishedPage, PublishedPage.tags.through, FileChange]


def _keep_published_state(root):
    global _published_state
    keep = Path(tempfile.mkdtemp(prefix="published-pages-"))
    atexit.register(shutil.rmtree, keep, ignore_errors=True)
    shutil.copytree(root, keep, dirs_exist_ok=True)
    rows = {model: list(model.objects.values()) for model in _publishers_tables()}
    _published_state = (keep, rows)


def _put_back_published_state(root):
    keep, rows = _published_state
    for model in reversed(rows):
        model.objects.all().delete()
    for model, values in rows.items():
        model.objects.bulk_create(model(**row) for row in values)
    # The rows keep their ids; new rows must be numbered after them (PostgreSQL's sequences
    # are not rolled back with a test, and a restored snapshot sets them before these ids).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(rows)):
            cursor.execute(sql)
    shutil.copytree(keep, root, dirs_exist_ok=True)


def publish_two_sites():
    """Publish the portal and the edu site into STATIC_PAGES_ROOT, on one host each."""
    SiteHost.objects.exclude(hostname__in=[PORTAL_HOST, EDU_HOST]).delete()
    if _published_state is not None:
        _put_back_published_state(settings.STATIC_PAGES_ROOT)
        return
    targets = set()
    for site in Site.objects.filter(site_code__in=["5201020001", "5201020002"]):
        targets |= services.site_targets(site)
    portal_articles = sorted(
        p for s, h, p in targets if h == PORTAL_HOST and p.startswith("/articles/")
    )
    kept = set(portal_articles[: 2 * SAMPLE_ARTICLES])
    targets = {
        t
        for t in targets
        if t[1] != PORTAL_HOST or not t[2].startswith("/articles/") or t[2] in kept
    }
    services.rebuild(targets)
    _keep_published_state(settings.STATIC_PAGES_ROOT)


def drain():
    """Run the render task as the worker does."""
    return tasks.render_pending.run()


def page_file(root, host, path):
    return root / rendering.file_for(host, path)


def written_paths(host=None):
    pages = PublishedPage.objects.all()
    if host:
        pages = pages.filter(host=host)
    return set(pages.values_list("host", "path"))


def list_pages(host, url):
    """url and its ?page=N as the application answers them (until the first 404)."""
    client = Client(HTTP_HOST=host)
    paths, number = [url], 2
    while client.get(f"{url}?page={number}").status_code == 200:
        paths.append(f"{url}?page={number}")
        number += 1
    return paths
