"""The buttons of the three templates that had inline script work in Chromium under the
production Content Security Policy (issue 15, item 10): the review sheet's and the annual
report's print buttons and the inspector's "use finding" buttons. Their handlers come from
static files, so the policy blocks nothing and the click does its work. Before, an inline
onclick or <script> was refused by the browser. Prints a tally of the buttons clicked."""

import os
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from columns.models import Column, Unit
from monitoring.inspections import services as inspections
from monitoring.models import ColumnFreshness, FreshnessState
from publishing.models import Article, ArticleStatus

from ..e2e.conftest import page  # noqa: F401 — the desktop page fixture
from ..e2e.test_security_csp import under_policy
from ..monitoring.test_inspections import campaign_with
from .reporting import print_summary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Counts print requests instead of opening the print dialog headless Chromium lacks.
COUNT_PRINTS = "window.print = () => { window.printed = (window.printed || 0) + 1; };"
#: button -> "works" | "FAILED: ..."
RESULTS = {}


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        failed = sorted(k for k, v in RESULTS.items() if v != "works")
        print_summary(
            request,
            f"security CSP buttons: {len(RESULTS)} buttons clicked under the production "
            f"policy, {len(RESULTS) - len(failed)} work, {len(failed)} failed"
            + (f" ({', '.join(failed)})" if failed else ""),
        )


def sign_in(page, username):  # noqa: F811
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", os.environ.get("DEMO_PASSWORD", "Portal-Demo-2026"))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/**")


def check(button, ok, violations):
    RESULTS[button] = "works" if ok and not violations else f"FAILED: {violations}"
    assert ok, (button, violations)
    assert not violations, "\n".join(violations)


def test_the_review_sheet_prints_under_the_production_policy(page):  # noqa: F811
    violations = under_policy(page)
    page.add_init_script(COUNT_PRINTS)
    article = Article.objects.filter(status=ArticleStatus.PUBLISHED, unit__name="区教育局").first()
    sign_in(page, "edu_liaison")
    page.goto(f"/admin/publishing/article/{article.pk}/sheet/")
    page.get_by_role("button", name="打印").click()
    check("review sheet: print", page.evaluate("window.printed") == 1, violations)


def test_the_annual_report_prints_under_the_production_policy(page):  # noqa: F811
    violations = under_policy(page)
    page.add_init_script(COUNT_PRINTS)
    report = inspections.generate_annual_reports(year=2022)[0]
    sign_in(page, "inspector")
    page.goto(f"/admin/monitoring/annualreport/{report.pk}/print/")
    page.get_by_role("button", name="打印").click()
    check("annual report: print", page.evaluate("window.printed") == 1, violations)


def test_the_inspectors_use_finding_button_fills_the_form_under_the_policy(page, demo):  # noqa: F811
    violations = under_policy(page)
    column = Column.objects.get(site=demo, slug="edu-news")
    ColumnFreshness.objects.update_or_create(
        column=column,
        defaults={
            "state": FreshnessState.STALE,
            "since": timezone.now(),
            "last_published_at": timezone.now() - timedelta(days=30),
            "max_gap_days": 14,
            "checked_at": timezone.now(),
        },
    )
    edu = Unit.objects.get(name="区教育局")
    user_named = get_user_model().objects.get_by_natural_key
    campaign = campaign_with(user_named, year=2036, quarter=1, units_drawn=[edu])
    sign_in(page, "inspector")
    page.goto(f"/admin/monitoring/spotcheckcampaign/{campaign.pk}/change/?unit={edu.pk}")
    button = page.locator('button.prefill[data-category="stale_column"]').first
    button.click()
    filled = page.evaluate(
        "() => [document.getElementById('category').value,"
        " document.getElementById('evidence_url').value]"
    )
    check(
        "campaign: use finding",
        filled[0] == "stale_column" and "/edu-news/" in filled[1],
        violations,
    )
