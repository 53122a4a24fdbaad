"""The print buttons work in Chromium under the production Content Security Policy (issue 15,
item 10): their handlers come from static files, so the policy blocks nothing and the click
reaches window.print. Before, an inline onclick was refused by the browser."""

import os

import pytest

from publishing.models import Article, ArticleStatus

from ..e2e.conftest import page  # noqa: F401 — the desktop page fixture
from ..e2e.test_security_csp import under_policy

pytestmark = pytest.mark.browser

#: Counts print requests instead of opening the print dialog headless Chromium lacks.
COUNT_PRINTS = "window.print = () => { window.printed = (window.printed || 0) + 1; };"


def sign_in(page, username):  # noqa: F811
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", os.environ.get("DEMO_PASSWORD", "Portal-Demo-2026"))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/**")


@pytest.mark.django_db(transaction=True)
def test_the_review_sheet_prints_under_the_production_policy(page):  # noqa: F811
    violations = under_policy(page)
    page.add_init_script(COUNT_PRINTS)
    article = Article.objects.filter(status=ArticleStatus.PUBLISHED, unit__name="区教育局").first()
    sign_in(page, "edu_liaison")
    page.goto(f"/admin/publishing/article/{article.pk}/sheet/")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") == 1
    assert not violations, "\n".join(violations)
