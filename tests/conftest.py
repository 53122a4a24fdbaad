"""Fixtures shared by every test folder: the demo portal, clients on its hosts, logins, and
one headless Chromium per test process."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TransactionTestCase

from columns.models import Site

from . import db_snapshot

DEMO_HOST = "localhost"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo once into the test database of this process and keep a snapshot of it.
    Each test then runs inside a rollback; a transactional test (one that commits: live
    server, other processes, row locks) ends with the snapshot put back, in place of Django's
    flush, which emptied every table and left the next test to load the demo again."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))
        snapshot = db_snapshot.take()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", lambda test: snapshot.restore())
        yield


@pytest.fixture
def demo(db):
    """The demo portal."""
    return Site.objects.get(site_code="5201020001")


@pytest.fixture
def client():
    """A test client on the demo portal's host name."""
    return Client(HTTP_HOST=DEMO_HOST)


@pytest.fixture
def login_as(demo):
    """login_as("edu_liaison") -> a client logged in as that demo account."""

    def make(username):
        user = get_user_model().objects.get(username=username)
        logged_in = Client(HTTP_HOST=DEMO_HOST)
        logged_in.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return logged_in

    return make


@pytest.fixture
def user_named(demo):
    return lambda username: get_user_model().objects.get(username=username)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rolled-back rows must not live on in Redis."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, shared by every browser test of the process (a
    second sync Playwright in the same process would fail). Skipped, visibly, only where no
    Chromium exists; CI (CI_REQUIRE_BROWSER) fails instead."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI_REQUIRE_BROWSER"):
            pytest.fail(f"CI requires Chromium at {CHROMIUM}; .ci/run installs it")
        pytest.skip(f"no Chromium at {CHROMIUM}: browser test skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()


@pytest.fixture
def audit(request):
    """audit(tool, page, count, what): one page's result of an accessibility or HTML checker,
    kept on the test's report so the run's summary shows it (with -n too: reports travel)."""

    def record(tool, page, count, what):
        request.node.user_properties.append(("audit", (tool, page, count, what)))

    return record


def pytest_terminal_summary(terminalreporter):
    """A line per audited page and a total per checker, e.g. `axe: 43 pages, 0 violations`."""
    results = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", ()):
                if key == "audit" and getattr(report, "when", "") == "call":
                    tool, page, count, what = value
                    results.setdefault((tool, what), {})[page] = count
    if not results:
        return
    terminalreporter.write_sep("-", "accessibility and HTML checks")
    for (tool, what), pages in sorted(results.items()):
        for page, count in pages.items():
            terminalreporter.write_line(f"{tool} {page}: {count} {what}")
        terminalreporter.write_line(f"{tool}: {len(pages)} pages, {sum(pages.values())} {what}")
