"""Published pages stay up with the application down (issue 18): the demo published to files,
nginx (deploy/nginx/portal-public.conf) in front; with gunicorn unable to reach PostgreSQL,
then with gunicorn stopped, every published page answers 200 with its file's bytes. And during
a full rebuild that rewrites every page, no reader through nginx ever gets half a page."""

import os
import shutil
import threading

import pytest
from django.db import connection

from columns.models import Site
from staticsite import rendering, services
from staticsite.models import PublishedPage
from tests.staticsite.front import PublicHostOnLoopback
from tests.staticsite.test_serving import get

from .servers import free_port, start_gunicorn, status_of, stop

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("PORTAL_SOAK"), reason="soak tests run with make soak"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the application's outage is on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

READERS = 4


@pytest.fixture
def front(demo, settings, tmp_path):
    """Every page of the demo's sites published into a nginx host's root."""
    log = open(tmp_path / "gunicorn.log", "w")
    server, base = start_gunicorn(log)
    host = PublicHostOnLoopback(upstream_port=int(base.rsplit(":", 1)[1]), name="soak")
    host.start()
    settings.STATIC_PAGES_ROOT = host.pages
    targets = set()
    for site in Site.objects.all():
        targets |= services.site_targets(site)
    services.rebuild(targets)
    host.gunicorn = server
    yield host
    stop(server)
    host.stop()
    shutil.rmtree(host.directory, ignore_errors=True)


def every_page():
    return list(PublishedPage.objects.order_by("pk").values_list("host", "path", "file"))


def assert_all_served(host, pages, what):
    wrong = []
    for name, path, file in pages:
        status, _, body = get(host.port, path, name)
        if status != 200 or body != (host.pages / file).read_bytes():
            wrong.append((name, path, status))
    assert not wrong, f"{what}: {len(wrong)} of {len(pages)} pages wrong, e.g. {wrong[:5]}"


def test_published_pages_answer_with_the_application_and_postgresql_unreachable(front):
    pages = every_page()
    assert len(pages) > 100
    # The application without its database: started on a port nothing listens on.
    stop(front.gunicorn)
    dead = f"postgres://postgres@127.0.0.1:{free_port()}/portal"
    log = open(front.directory / "gunicorn-no-db.log", "w")
    front.gunicorn, base = start_gunicorn(log, database_url=dead)
    assert status_of(f"{base}/healthz") == 503  # the application sees no database
    assert_all_served(front, pages, "PostgreSQL unreachable")
    status, _, _ = get(front.port, "/search/?q=x", pages[0][0])
    assert status >= 500  # the application's pages are down

    stop(front.gunicorn)
    assert_all_served(front, pages, "gunicorn stopped")
    assert get(front.port, "/search/?q=x", pages[0][0])[0] == 502
    print(f"\nsoak static-pages-up: {len(pages)} published pages answered 200 twice, app down")


def test_no_reader_gets_half_a_page_during_a_full_rebuild(front):
    pages = every_page()
    watched = pages[:: max(1, len(pages) // 40)]
    before = {(h, p): (front.pages / f).read_bytes() for h, p, f in watched}
    seen = {key: set() for key in before}
    stopping = threading.Event()
    errors = []

    def reader(offset):
        while not stopping.is_set():
            for host, path, _file in watched[offset::READERS]:
                status, _, body = get(front.port, path, host)
                if status != 200:
                    errors.append((host, path, status))
                seen[(host, path)].add(body)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    # Every page changes: the site names are on every page.
    for site in Site.objects.all():
        Site.objects.filter(pk=site.pk).update(name=f"{site.name}（新）")
    targets = set()
    for site in Site.objects.all():
        targets |= services.site_targets(site)
    done = services.rebuild(targets)
    stopping.set()
    for thread in threads:
        thread.join()
    after = {(h, p): rendering.root().joinpath(f).read_bytes() for h, p, f in watched}
    assert done.get("written", 0) >= len(pages) * 0.9
    assert not errors, errors[:5]
    partial = {key: len(bodies - {before[key], after[key]}) for key, bodies in seen.items()}
    assert not any(partial.values()), {k: v for k, v in partial.items() if v}
    answers = sum(len(b) for b in seen.values())
    changed = sum(1 for key in seen if after[key] in seen[key] and before[key] != after[key])
    print(
        f"\nsoak static-rebuild: {done} during {READERS} readers; {changed} of {len(watched)} "
        f"watched pages seen old then new, {answers} distinct answers, none partial"
    )
