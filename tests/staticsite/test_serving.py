"""The published files as served: nginx with deploy/nginx/portal-public.conf answers them first
and passes the rest to the application; `make run`'s middleware does the same; a site offline
or closed is not served from files."""

import http.client
import re
import shutil
from datetime import timedelta

import pytest
from csp.utils import build_policy
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import Client
from django.utils import timezone

from columns.models import OfflineWindow, Site
from staticsite import rendering, services
from staticsite.models import FileChange, PendingRender, PublishedPage
from tests.deploy.installation import DEPLOY

from .conftest import EDU_HOST, PORTAL_HOST, drain, page_file, publish_two_sites
from .front import APPLICATION_MARK, PublicHostOnLoopback, StandInApplication

pytestmark = pytest.mark.django_db

EDU = "5201020002"
#: Headers every public answer carries in production (Django's SecurityMiddleware, CSP and
#: clickjacking middlewares; tests/deploy compares them with Django's own).
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def get(port, path, host, method="GET", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request(method, path, headers={"Host": host, **(headers or {})})
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        conn.close()


@pytest.fixture
def application():
    app = StandInApplication()
    yield app
    app.close()


@pytest.fixture
def public_host(application):
    host = PublicHostOnLoopback(upstream_port=application.port)
    host.start()
    yield host
    host.stop()
    shutil.rmtree(host.directory, ignore_errors=True)


@pytest.fixture
def edu_published(demo, settings, public_host):
    """The portal and the edu site published into the public host's root; returns edu."""
    settings.STATIC_PAGES_ROOT = public_host.pages
    publish_two_sites()
    return Site.objects.get(site_code=EDU)


def paged_column():
    page = PublishedPage.objects.filter(host=PORTAL_HOST, path__contains="?page=2").first()
    assert page is not None, "the demo's portal has a column with a second page"
    return page


def test_nginx_answers_published_pages_from_their_files_with_the_security_headers(
    edu_published, public_host
):
    root = public_host.pages
    paged = (PORTAL_HOST, paged_column().path)
    for host, path in [
        (EDU_HOST, "/"),
        (EDU_HOST, "/sitemap.xml"),
        (EDU_HOST, "/robots.txt"),
        paged,
    ]:
        status, headers, body = get(public_host.port, path, host)
        assert status == 200, path
        assert body == (root / rendering.file_for(host, path)).read_bytes(), path
        for name in SECURITY_HEADERS:
            assert headers.get(name), f"{path} lacks {name}"
        assert headers["Cache-Control"] == "no-cache"
        assert headers["ETag"] and headers["Last-Modified"]
    _, headers, _ = get(public_host.port, "/", EDU_HOST)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    # A browser revalidates: unchanged, a 304 without the page.
    status, _, body = get(
        public_host.port, "/", EDU_HOST, headers={"If-None-Match": headers["ETag"]}
    )
    assert (status, body) == (304, b"")
    status, _, body = get(public_host.port, "/", EDU_HOST, method="HEAD")
    assert (status, body) == (200, b"")


def test_nginx_passes_queries_other_methods_missing_files_and_other_hosts_to_the_application(
    edu_published, public_host
):
    column = paged_column().path.split("?")[0]
    passed = [
        ("GET", "/?q=1"),
        ("GET", f"{column}?page=2&x=1"),
        ("GET", f"{column}?page=0"),
        ("GET", "/search/?q=%E6%95%99%E8%82%B2"),
        ("POST", "/"),
        ("GET", "/no-such-page/"),
        ("GET", "/interaction/messages/new/"),
        # A published folder named without its slash: the application redirects it.
        ("GET", column.rstrip("/")),
        ("GET", "/no-such-feed.xml"),
    ]
    for method, path in passed:
        status, _, body = get(public_host.port, path, PORTAL_HOST, method=method)
        # The address as it was sent, not the file's the page location looked for.
        assert body == APPLICATION_MARK + f" {method} {path}".encode(), (method, path, body[:80])
    # A host with no files here (not published) is the application's.
    _, _, body = get(public_host.port, "/", "other.localhost")
    assert body.startswith(APPLICATION_MARK)
    # A file removed by the publisher is the application's again at once.
    (public_host.pages / EDU_HOST / "index.html").unlink()
    _, _, body = get(public_host.port, "/", EDU_HOST)
    assert body.startswith(APPLICATION_MARK)


def test_make_runs_middleware_serves_the_same_files_with_django_s_headers(edu_published, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: settings.MIDDLEWARE.index("portal.middleware.SiteMiddleware")],
        "staticsite.serving.PublishedFileMiddleware",
        *settings.MIDDLEWARE[settings.MIDDLEWARE.index("portal.middleware.SiteMiddleware") :],
    ]
    client = Client(HTTP_HOST=EDU_HOST)
    home = page_file(settings.STATIC_PAGES_ROOT, EDU_HOST, "/")
    home.write_bytes(home.read_bytes().replace(b"</body>", b"<!-- from the file --></body>"))
    answer = client.get("/")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == home.read_bytes()
    assert answer["Content-Type"] == "text/html; charset=utf-8"
    assert answer["Cache-Control"] == "no-cache"
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert answer[name] == client.get("/search/")[name]
    assert client.get("/", HTTP_IF_NONE_MATCH=answer["ETag"]).status_code == 304
    paged = paged_column()
    answer = Client(HTTP_HOST=PORTAL_HOST).get(paged.path)
    assert (
        b"".join(answer.streaming_content)
        == page_file(settings.STATIC_PAGES_ROOT, PORTAL_HOST, paged.path).read_bytes()
    )
    # Anything else is the application's: the same page with a query renders anew.
    rendered = client.get("/?utm=1")
    assert not rendered.streaming and b"from the file" not in rendered.content


def test_a_site_going_offline_loses_its_files_and_is_republished_when_back(
    edu_published, public_host, settings, clock
):
    portal = Site.objects.get(site_code="5201020001")
    portal_pages = PublishedPage.objects.filter(site=portal).count()
    edu_files = set(PublishedPage.objects.filter(site=edu_published).values_list("file", flat=True))
    now = timezone.now()
    # Scheduled in the past (the rules' notice period is the scheduling service's business).
    window = OfflineWindow.objects.create(
        site=edu_published,
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        reason="机房搬迁",
        scheduled_by=get_user_model().objects.order_by("pk").first(),
        scheduled_at=now,
    )
    assert services.follow_site_availability() == (set(), set())
    assert get(public_host.port, "/", EDU_HOST)[0] == 200  # still served before the window

    clock.move(hours=1, minutes=1)
    taken_down, back = services.follow_site_availability()
    assert (taken_down, back) == ({edu_published.pk}, set())
    assert not PublishedPage.objects.filter(site=edu_published).exists()
    assert not [p for p in (public_host.pages / EDU_HOST).rglob("*") if p.is_file()]
    deleted = set(FileChange.objects.filter(deleted=True).values_list("file", flat=True))
    assert edu_files <= deleted  # told to the public hosts too
    assert PublishedPage.objects.filter(site=portal).count() == portal_pages
    _, _, body = get(public_host.port, "/", EDU_HOST)
    assert body.startswith(APPLICATION_MARK)
    # A second tick does nothing more; a render during the window writes nothing.
    assert services.follow_site_availability() == (set(), set())
    assert services.publish_page(site_id=edu_published.pk, host=EDU_HOST, path="/") == "removed"

    clock.move(hours=2)
    assert services.follow_site_availability() == (set(), {edu_published.pk})
    queued = set(PendingRender.objects.filter(site=edu_published).values_list("host", "path"))
    assert {(EDU_HOST, p) for p in services.pages.site_paths(edu_published)} <= queued
    settings.STATIC_PAGES_ENABLED = True
    drain()
    assert (
        get(public_host.port, "/", EDU_HOST)[2]
        == page_file(public_host.pages, EDU_HOST, "/").read_bytes()
    )
    assert services.follow_site_availability() == (set(), set())
    assert window.site_id == edu_published.pk


def test_a_closed_site_loses_its_files_at_the_next_tick(edu_published, public_host):
    Site.objects.filter(pk=edu_published.pk).update(status=Site.Status.CLOSED)
    assert services.follow_site_availability() == ({edu_published.pk}, set())
    assert not PublishedPage.objects.filter(site=edu_published).exists()
    assert get(public_host.port, "/", EDU_HOST)[2].startswith(APPLICATION_MARK)


def _published_location_headers():
    """{name: value} of the add_header lines in portal-public.conf's published-page location."""
    text = (DEPLOY / "nginx" / "portal-public.conf").read_text()
    block = text[text.index("rewrite ^ /$host$published_file") : text.index("location @portal")]
    return {
        name: value.strip('"')
        for name, value in re.findall(r'add_header (\S+) ("[^"]*"|\S+) always;', block)
    }


def test_nginx_sends_the_security_headers_django_sends_in_production(settings, rf):
    # The production values (PORTAL_PRODUCTION=1) of the settings SecurityMiddleware reads.
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    django = SecurityMiddleware(lambda request: HttpResponse())(rf.get("/", secure=True))
    nginx = _published_location_headers()
    for name in (
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert nginx[name] == django[name], name
    assert nginx["X-Frame-Options"] == settings.X_FRAME_OPTIONS

    def directives(policy):
        return {part.strip() for part in policy.split(";")}

    policy = build_policy(config=settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    assert directives(nginx["Content-Security-Policy"]) == directives(policy)
