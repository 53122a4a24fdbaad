"""The production Content Security Policy breaks nothing: pages run in Chromium under it.

The policy of portal/settings.py (no inline script) is added to every page the browser loads,
as PORTAL_PRODUCTION=1 makes django-csp do; any violation the browser reports fails the test.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from publishing.models import Article, ArticleStatus

from .conftest import PASSWORD, screenshot

pytestmark = pytest.mark.browser


def production_policy():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def under_policy(page):
    """Serve every document with the production policy; collect what the browser refuses."""
    policy = production_policy()
    violations = []

    def add_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": policy}
        route.fulfill(response=response, headers=headers)

    page.route("**/*", lambda route: add_policy(route))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.mark.django_db(transaction=True)
def test_public_pages_and_admin_work_under_the_production_policy(page, demo):
    violations = under_policy(page)
    article = Article.objects.filter(status=ArticleStatus.PUBLISHED).order_by("-pk").first()

    for path in ["/", f"/articles/{article.pk}/", article.column.get_absolute_url()]:
        page.goto(path)
        assert page.locator("main").count() >= 1, path

    page.goto("/admin/login/")
    page.fill("#id_username", "edu_liaison")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/**")
    page.goto("/admin/publishing/article/")
    page.goto("/admin/publishing/article/add/")
    # TinyMCE builds its editor by script: it only appears if scripts from files may run.
    page.wait_for_selector(".tox-tinymce", timeout=15000)
    # staff_admin.js gives the editing area the page's language and a title, under the policy.
    area = page.frame_locator("#id_body_ifr")
    expect(area.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(area.locator("body")).not_to_have_attribute("aria-label", re.compile("."))
    assert area.locator("html").evaluate("element => element.ownerDocument.title")
    screenshot(page, "security-csp-article-editor")

    assert not violations, "\n".join(violations)
