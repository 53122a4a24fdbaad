"""The smaller hardening items of issue 15 (items 8 and 11): the editor endpoint, error pages,
malformed admin query strings, the health check, the login redirect, the forced password
change on staff JSON and the tracking lookup's timing.

Each test acts as the attacker would and asserts the refusal and that nothing leaked.
"""

import re
import time
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from columns.models import StaffProfile
from interaction import services as interaction_services
from interaction.models import Message

from ..conftest import DEMO_HOST
from .reporting import print_summary
from .test_private_files import message_photo

pytestmark = pytest.mark.django_db

#: (check, case) -> "refused" | "FAILED: ..."
RESULTS = {}
SCRIPT = "<script>alert(document.domain)</script>"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        failed = {k: v for k, v in RESULTS.items() if v != "refused"}
        print_summary(
            request,
            f"security hardening: {len({c for c, _ in RESULTS})} checks over "
            f"{len(RESULTS)} cases, {len(RESULTS) - len(failed)} refused, {len(failed)} failed"
            + (f": {sorted(failed)}" if failed else ""),
        )


def tally(check, case, ok, detail=""):
    RESULTS[(check, case)] = "refused" if ok else f"FAILED: {detail}"
    return ok


# --- item 8: the editor endpoint -----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/staff/tinymce/compressor/?js=1&plugins={SCRIPT}&languages=zh_CN&themes=silver",
        "/staff/tinymce/filebrowser/",
        "/staff/tinymce/flatpages_link_list/",
    ],
)
def test_tinymce_views_are_not_served_to_anyone(demo, login_as, path):
    for who, client in (
        ("anonymous", Client(HTTP_HOST=DEMO_HOST)),
        ("staff", login_as("operator")),
    ):
        started = time.monotonic()
        response = client.get(path)
        took = time.monotonic() - started
        ok = response.status_code == 404 and SCRIPT.encode() not in response.content
        assert tally("tinymce endpoint", f"{who} {path.split('?')[0]}", ok, response.status_code)
        assert took < 1


def test_the_article_editor_still_loads_tinymce_from_static_files(login_as):
    page = login_as("edu_liaison").get(reverse("admin:publishing_article_add")).content.decode()
    assert "tinymce/tinymce.min.js" in page


# --- item 11: error pages in Chinese -------------------------------------------------------


def test_400_403_405_are_chinese_pages(demo, login_as, settings):
    settings.ALLOWED_HOSTS = [DEMO_HOST]
    anonymous = Client(HTTP_HOST=DEMO_HOST, enforce_csrf_checks=True)
    cases = {
        # A host the platform does not serve: Django's DisallowedHost answer.
        "400 unknown host": Client(HTTP_HOST="evil.example.com").get("/admin/login/"),
        "403 forged form": anonymous.post("/admin/login/", {"username": "x", "password": "y"}),
        "405 wrong method": Client(HTTP_HOST=DEMO_HOST).get(
            reverse("interaction:track_act", args=["rate"])
        ),
        "403 not allowed": login_as("inspector").get(reverse("admin:publishing_article_add")),
    }
    for case, response in cases.items():
        page = response.content.decode()
        ok = (
            response.status_code == int(case[:3])
            and 'lang="zh-hans"' in page
            and "返回首页" in page
            and "Forbidden" not in page
        )
        assert tally("error page", case, ok, f"{response.status_code} {page[:80]!r}"), case
    assert cases["405 wrong method"]["Allow"]


MALFORMED = [
    "o=abc",
    "o=1.x",
    "p=x",
    "p=-1",
    "id__in=x",
    "pk=abc",
    "q=%00",
    "unit=abc",
    "site=abc",
    "n=x",
    "date__gte=garbage",
]


def _admin_pages():
    """Every admin page that takes no path argument (lists, inboxes, dashboards, drills), with
    the malformed query strings plus a garbage date for each list's date fields."""
    from monitoring.selectors import DRILL_KINDS

    pages = {}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        date_fields = [
            f.name
            for f in opts.get_fields()
            if isinstance(f, models.DateField | models.DateTimeField)
        ]
        extra = [f"{name}__gte=garbage" for name in date_fields[:3]]
        for pattern in model_admin.urls:
            if pattern.name and not pattern.pattern.converters and "<" not in str(pattern.pattern):
                pages[reverse(f"admin:{pattern.name}")] = MALFORMED + extra
    for kind in DRILL_KINDS:
        pages[reverse("admin:monitoring_drill", args=[kind])] = MALFORMED
    return pages


ADMIN_PAGES = _admin_pages()


# One test per page, so that the pages are shared out among the test processes.
@pytest.mark.parametrize("url", sorted(ADMIN_PAGES))
def test_malformed_admin_query_strings_are_a_400_not_a_500(demo, url):
    # A superuser sees every list, so every list's parsing of the query string is tried.
    root = get_user_model().objects.create_superuser("root-hardening", "", "x-Portal-2026-x")
    client = Client(HTTP_HOST=DEMO_HOST, raise_request_exception=False)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    errors = []
    for query in ADMIN_PAGES[url]:
        response = client.get(f"{url}?{query}")
        ok = response.status_code != 500
        tally("admin query string", f"{url}?{query}", ok, response.status_code)
        if not ok:
            errors.append(f"{url}?{query}")
    assert errors == []


# --- item 11: health check -----------------------------------------------------------------


def test_public_health_check_shows_only_ok_or_degraded(demo, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    from_internet = Client(HTTP_HOST=DEMO_HOST, HTTP_X_FORWARDED_FOR="203.0.113.9")
    body = from_internet.get("/healthz").json()
    assert tally("healthz", "public answer", body == {"status": "ok"}, body)
    # The load balancer on the machine itself, and staff, see each check.
    assert set(Client(HTTP_HOST=DEMO_HOST).get("/healthz").json()["checks"]) == {
        "database",
        "cache",
        "broker",
    }


def test_a_failing_check_reveals_no_internal_address_to_the_public(demo, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CELERY_BROKER_URL = "redis://10.0.8.15:6390/0"
    from portal.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = Client(HTTP_HOST=DEMO_HOST, HTTP_X_FORWARDED_FOR="203.0.113.9").get("/healthz")
    finally:
        app.conf.broker_url = None
    page = response.content.decode()
    ok = response.status_code == 503 and "10.0.8.15" not in page and "6390" not in page
    assert tally("healthz", "failing broker", ok, page)
    assert response.json() == {"status": "degraded"}


# --- item 11: login redirect and forced password change ------------------------------------


def test_a_refused_next_after_login_lands_on_the_admin_index(demo):
    client = Client(HTTP_HOST=DEMO_HOST)
    response = client.post(
        "/admin/login/?next=https://evil.example.com/",
        {
            "username": "operator",
            "password": "Portal-Demo-2026",
            "next": "https://evil.example.com/",
        },
    )
    ok = response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert tally("login next=", "foreign site", ok, response.get("Location"))
    assert client.get(response["Location"]).status_code == 200


def test_staff_json_and_private_files_are_refused_until_the_forced_password_change(
    demo, login_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ACCEL_REDIRECT = False
    photo, readers, _other_unit = message_photo()
    assert "dispatcher" in readers
    client = login_as("dispatcher")
    StaffProfile.objects.filter(user__username="dispatcher").update(must_change_password=True)
    for name in ("interaction:api_staff_messages",):
        response = client.get(reverse(name))
        ok = response.status_code == 403 and b"tracking_code" not in response.content
        assert tally("forced password change", name, ok, response.status_code)
    response = client.get(photo.url)
    ok = response.status_code == 404 and "X-Accel-Redirect" not in response
    assert tally("forced password change", "a private file", ok, response.status_code)
    StaffProfile.objects.filter(user__username="dispatcher").update(
        must_change_password=False, password_changed_at=timezone.now()
    )
    assert client.get(reverse("interaction:api_staff_messages")).status_code == 200
    assert client.get(photo.url).status_code == 200


# --- item 11: tracking lookup timing -------------------------------------------------------


def _median_seconds(call, times=3):
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return sorted(durations)[len(durations) // 2]


def test_an_unknown_tracking_code_costs_the_same_hashing_as_a_wrong_password(demo, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.INTERACTION_TRACKING_ATTEMPTS_PER_HOUR = 1000
    message = Message.objects.exclude(tracking_code="").first()
    Message.objects.filter(pk=message.pk).update(query_password=make_password("RIGHTPASS"))

    def attempt(code):
        def call():
            with pytest.raises(Exception):  # noqa: B017 — ValidationError either way
                interaction_services.track(code=code, password="WRONGPASS")

        return call

    known = _median_seconds(attempt(message.tracking_code))
    unknown = _median_seconds(attempt("NOSUCHCODE0"))
    ok = unknown > known * 0.5
    assert tally("tracking timing", "unknown vs wrong", ok, f"{unknown:.3f} s vs {known:.3f} s")


# --- item 10: no inline script under the production CSP ------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.I)


def test_no_template_has_inline_script_the_csp_would_block():
    roots = [ROOT / "templates", *ROOT.glob("*/templates")]
    offenders = []
    for template in sorted(p for root in roots for p in root.rglob("*.html")):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if INLINE_SCRIPT.search(line):
                offenders.append(f"{template.relative_to(ROOT)}:{number}")
    tally("inline script", "templates", not offenders, offenders)
    assert offenders == []


def test_print_and_use_finding_buttons_are_wired_by_static_files(client):
    for script, wires in (
        ("publishing/print.js", "window.print()"),
        ("monitoring/campaign.js", "button.prefill"),
    ):
        response = client.get(f"/static/{script}")
        assert response.status_code == 200
        assert wires in b"".join(response.streaming_content).decode()


def test_too_long_addresses_get_the_chinese_414_page_from_nginx():
    page = ROOT / "static/portal/errors/414.html"
    assert "网址过长" in page.read_text() and 'lang="zh-hans"' in page.read_text()
    for conf in ("portal-public.conf", "portal-admin.conf"):
        text = (ROOT / "deploy/nginx" / conf).read_text()
        ok = "error_page 414 /static/portal/errors/414.html;" in text
        tally("414 page", conf, ok, "no error_page 414")
        assert ok
    gunicorn = (ROOT / "deploy/gunicorn.conf.py").read_text()
    assert re.search(r"^limit_request_line = 8190$", gunicorn, re.M)
