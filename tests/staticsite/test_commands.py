"""publish_static and check_static, and the atomic placement of files."""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from columns.models import Site, SiteHost
from staticsite import pages, rendering, tasks
from staticsite.models import PublishedPage
from tests.portal.published import publish

from .conftest import EDU_HOST, PORTAL_HOST, page_file

pytestmark = pytest.mark.django_db

EDU = "5201020002"


@pytest.fixture
def root(demo, settings, tmp_path):
    settings.STATIC_PAGES_ROOT = tmp_path / "pages"
    SiteHost.objects.exclude(hostname__in=[PORTAL_HOST, EDU_HOST]).delete()
    return settings.STATIC_PAGES_ROOT


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_publish_static_writes_every_page_of_the_site_with_progress_and_rate(root):
    out, err = run("publish_static", "--site", EDU)
    paths = pages.site_paths(Site.objects.get(site_code=EDU))
    assert {p for h, p in PublishedPage.objects.values_list("host", "path")} == set(paths)
    for path in paths:
        page = PublishedPage.objects.get(host=EDU_HOST, path=path)
        assert rendering.file_fingerprint(page.file) == page.fingerprint
    assert (root / EDU_HOST / "index.html").exists()
    assert (root / EDU_HOST / "sitemap.xml").read_bytes().startswith(b"<?xml")
    assert f"{len(paths)}/{len(paths)}" in err and "[####" in err
    assert f"{len(paths)} pages in " in out and "pages/s" in out
    assert not (root / PORTAL_HOST).exists()

    out, _ = run("publish_static", "--site", EDU)
    assert f"{len(paths)} unchanged" in out


def test_publish_static_refuses_an_unknown_site_and_writes_nothing(root):
    with pytest.raises(CommandError, match="no site with the code 999"):
        run("publish_static", "--site", "999")
    with pytest.raises(CommandError):
        run("publish_static")
    assert not root.exists()
    assert not PublishedPage.objects.exists()


def test_check_static_lists_missing_modified_stale_and_unpublished_pages(
    root, settings, monkeypatch
):
    run("publish_static", "--site", EDU)
    out, _ = run("check_static", "--site", EDU)
    assert "all static pages present and current" in out

    page_file(root, EDU_HOST, "/services/").unlink()
    page_file(root, EDU_HOST, "/xxgk/guide/").write_text("篡改的内容")
    settings.STATIC_PAGES_ENABLED = True
    # The change is noted and its pages queued; no worker renders them in this test.
    monkeypatch.setattr(tasks.render_pending, "apply_async", lambda *a, **kw: None)
    article = publish("尚未渲染的新文章", column="news", site_code=EDU)
    out = StringIO()
    with pytest.raises(CommandError, match="static page"):
        call_command("check_static", "--site", EDU, stdout=out)
    lines = set(out.getvalue().splitlines())
    assert f"missing\t{EDU_HOST}/services/" in lines
    assert f"modified\t{EDU_HOST}/xxgk/guide/" in lines
    assert f"stale\t{EDU_HOST}/" in lines  # news is on the edu homepage
    assert f"stale\t{EDU_HOST}/columns/news/" in lines
    assert f"not published\t{EDU_HOST}/articles/{article.pk}/" in lines
    assert f"stale\t{EDU_HOST}/xxgk/guide/" not in lines  # the guide does not list articles


def test_publish_static_templates_rerenders_only_pages_made_with_other_templates(root, monkeypatch):
    run("publish_static", "--site", EDU)
    old = ["/", "/services/"]
    PublishedPage.objects.filter(path__in=old).update(templates_fingerprint="0" * 64)
    rendered = []
    real_render = rendering.render
    monkeypatch.setattr(
        rendering, "render", lambda host, path: rendered.append(path) or real_render(host, path)
    )
    out, _ = run("publish_static", "--templates")
    assert sorted(rendered) == sorted(old)
    assert "2 pages in" in out
    assert not PublishedPage.objects.exclude(
        templates_fingerprint=rendering.templates_fingerprint()
    ).exists()


def test_a_reader_never_sees_a_partly_written_file(root):
    bodies = [b"a" * 2_000_000, b"b" * 3_000_000]
    rendering.write_atomically("host/page/index.html", bodies[0])
    target = root / "host/page/index.html"
    seen, stop = set(), threading.Event()

    def read():
        while not stop.is_set():
            seen.add(len(target.read_bytes()))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(60):
            rendering.write_atomically("host/page/index.html", bodies[n % 2])
    finally:
        stop.set()
        reader.join()
    assert seen <= {len(b) for b in bodies}
    assert seen == {len(b) for b in bodies}, "the reader saw only one version: no overlap tested"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]  # no temporary left
    assert target.stat().st_mode & 0o777 == 0o644


def test_file_names_stay_inside_the_output_root():
    assert rendering.file_for("Edu.Localhost", "/columns/news/?page=3") == (
        "edu.localhost/columns/news/index-page-3.html"
    )
    assert rendering.file_for("localhost", "/sitemap.xml") == "localhost/sitemap.xml"
    for bad in ("/../etc/passwd", "/columns/?page=../../x", "/columns/?q=1"):
        with pytest.raises(ValueError):
            rendering.file_for("localhost", bad)


def test_a_page_that_sets_a_cookie_is_left_to_the_application(root):
    """The mailbox form carries a CSRF token: a file would give everyone the same one."""
    rendered = rendering.render(PORTAL_HOST, "/interaction/messages/new/")
    assert rendered.status == 200 and not rendered.publishable
