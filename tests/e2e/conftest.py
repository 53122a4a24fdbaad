"""Headless Chromium (Debian's) driven by Playwright, with axe-core for accessibility.

Browser tests are skipped, visibly, only where no Chromium exists; .ci/run installs it.
"""

import json
import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = os.environ.get("DEMO_PASSWORD", "Portal-Demo-2026")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"CI requires Chromium at {CHROMIUM}; .ci/run installs it")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(skip)


def new_context(browser, live_server, viewport=DESKTOP, **options):
    """A zh-CN browser context on the live server (localhost, the demo portal's host) with
    axe-core in every page and frame it opens (a frame with axe is checked too: TinyMCE's
    editing area): as an init script Chromium compiles it once per context, where a script
    tag sent with each checked page cost a third of the page's check."""
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", base_url=live_server.url, **options
    )
    if not AXE.exists():
        raise RuntimeError("axe-core is missing: run `npm install` (make test does)")
    context.add_init_script(path=str(AXE))
    return context


@pytest.fixture
def page(browser, live_server, demo):
    """A desktop-sized page."""
    context = new_context(browser, live_server)
    page = context.new_page()
    yield page
    # A route handler still answering a request of this page (under_policy's) would otherwise
    # raise its "response disposed" in whatever the next test asks of the browser.
    page.unroute_all(behavior="ignoreErrors")
    context.close()


@pytest.fixture
def phone_page(browser, live_server, demo):
    context = new_context(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def staff_page(browser, live_server, demo):
    """staff_page("dispatcher") -> a page signed in as that demo account, in a context of its
    own (several staff can work side by side in one test)."""
    contexts = []

    def open_as(username, viewport=DESKTOP):
        contexts.append(new_context(browser, live_server, viewport))
        page = contexts[-1].new_page()
        sign_in(page, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def sign_in(page, username):
    """Type a demo account's credentials on the login page and land on the workbench."""
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def screenshot(page, name):
    """Save a full-page screenshot under test-artifacts/ for a person to look at, when asked
    for with PORTAL_SCREENSHOTS=1: a full-page capture costs the suite up to a second each."""
    if not os.environ.get("PORTAL_SCREENSHOTS"):
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page):
    """Run axe-core's WCAG 2.1 A/AA rules on the page and return the violations. Only the
    violations are aggregated in full (resultTypes): the passes and the incomplete checks,
    which nothing reads, keep one node each (axe alone: 12.6 s to 8.9 s for the liaison's 23
    pages; the whole e2e folder, two processes sharing two cores: 320 s to 309 s). The page's
    context comes from new_context, which loads axe."""
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
    )
    return result["violations"]


def assert_accessible(page):
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in violations
    ]
    assert not violations, json.dumps(summary, ensure_ascii=False, indent=1)


def axe_count(page, audit, name):
    """Run axe on page, record its count under name for the run's summary, and return the
    violations as (rule, first failing elements) for the test's message."""
    violations = axe_violations(page)
    audit("axe", name, len(violations), "violations")
    if violations:
        screenshot(page, "axe-" + "".join(c if c.isalnum() else "-" for c in name).strip("-"))
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
