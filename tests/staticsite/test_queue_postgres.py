"""The render queue under real row locks (PostgreSQL): workers skip the pages another is
rendering, and a change queued during a render is not lost with the row the render deletes."""

import threading

import pytest
from django.db import connection, transaction

from columns.models import Site, SiteHost
from staticsite import services
from staticsite.models import PendingRender, PublishedPage
from tests.concurrency import ONLY_ON_POSTGRESQL

from .conftest import EDU_HOST

pytestmark = ONLY_ON_POSTGRESQL

PATHS = ["/", "/services/", "/xxgk/guide/"]


@pytest.fixture
def queued(demo, settings, tmp_path):
    settings.STATIC_PAGES_ROOT = tmp_path / "pages"
    SiteHost.objects.filter(site__site_code="5201020002").exclude(hostname=EDU_HOST).delete()
    site = Site.objects.get(site_code="5201020002")
    services.enqueue({(site.pk, EDU_HOST, path) for path in PATHS})
    return site


def hold_row(path, locked, release):
    """Another worker in the middle of rendering path: its row locked until release."""
    try:
        with transaction.atomic():
            PendingRender.objects.select_for_update().get(host=EDU_HOST, path=path)
            locked.set()
            release.wait(30)
    finally:
        connection.close()


def test_a_worker_skips_the_page_another_worker_is_rendering(queued):
    locked, release = threading.Event(), threading.Event()
    other = threading.Thread(target=hold_row, args=("/", locked, release))
    other.start()
    try:
        assert locked.wait(10)
        done = services.render_pending()
    finally:
        release.set()
        other.join()
    assert done == {"written": 2}
    assert set(PendingRender.objects.values_list("path", flat=True)) == {"/"}
    assert set(PublishedPage.objects.values_list("path", flat=True)) == {
        "/services/",
        "/xxgk/guide/",
    }

    assert services.render_pending() == {"written": 1}
    assert not PendingRender.objects.exists()


def test_a_change_queued_during_a_render_stays_queued_after_it(queued):
    locked, release = threading.Event(), threading.Event()
    finished = threading.Event()

    def render_then_delete():
        try:
            with transaction.atomic():
                row = PendingRender.objects.select_for_update().get(host=EDU_HOST, path="/")
                locked.set()
                release.wait(30)
                row.delete()
        finally:
            connection.close()

    def queue_again():
        try:
            services.enqueue({(queued.pk, EDU_HOST, "/")})
            finished.set()
        finally:
            connection.close()

    worker = threading.Thread(target=render_then_delete)
    worker.start()
    assert locked.wait(10)
    editor = threading.Thread(target=queue_again)
    editor.start()
    # The editor's queueing waits for the render's row instead of counting it as queued...
    assert not finished.wait(1)
    release.set()
    worker.join()
    editor.join()
    assert finished.is_set()
    # ...so the page is queued once more after the render that may have missed the change.
    assert PendingRender.objects.filter(host=EDU_HOST, path="/").count() == 1
