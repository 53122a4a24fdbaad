"""合规监管看板 in a real browser with the demo data: the inspector sees verdicts, cards,
the per-unit table and five rendered ECharts trends; the numbers agree with the tables and
with the drill-down lists; a liaison sees only their unit."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = "/admin/monitoring/compliancedashboard/"


def charts_rendered(page):
    # A locator, not wait_for_function: Playwright evaluates that with eval, which the
    # production CSP refuses (tests/deploy/test_production_journeys.py runs this under it).
    expect(page.locator('[data-chart][data-rendered="1"] canvas')).to_have_count(5, timeout=30_000)
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart]')).map(node => {
            const chart = echarts.getInstanceByDom(node);
            const series = chart.getOption().series;
            return [node.dataset.chart, series.reduce((n, s) => n + s.data.length, 0)];
        })"""
    )


def test_inspector_dashboard_renders_charts_and_numbers_match(page):
    sign_in(page, "inspector")
    page.goto(DASHBOARD)
    points = dict(charts_rendered(page))
    # Eight weeks of freshness snapshots, a month of probes and visits from the demo data.
    assert points["freshness"] >= 4 * 50 and points["uptime"] >= 7 and points["visits"] >= 20
    assert points["links"] > 0 and points["published"] > 0

    assert page.locator(".verdict").count() == 2
    for key in ("stale", "warning", "blank", "broken", "overdue", "published"):
        card = int(page.locator(f"[data-card={key}] .card-number").inner_text())
        total = int(page.locator(f"[data-total={key}]").inner_text())
        cells = page.locator(f"#unit-table tbody td[data-kind={key}]").all_inner_texts()
        assert card == total == sum(int(c) for c in cells), key
    stale_total = int(page.locator("[data-total=stale]").inner_text())
    assert stale_total > 0
    screenshot(page, "dashboard-inspector")

    page.locator("[data-card=stale]").click()
    page.wait_for_url("**/drill/stale/**")
    assert page.locator("#drill-table tbody tr").count() == stale_total
    screenshot(page, "dashboard-drill-stale")


def test_liaison_sees_the_dashboard_of_their_unit_only(page):
    sign_in(page, "edu_liaison")
    page.goto(DASHBOARD)
    charts_rendered(page)
    units = page.locator("#unit-table tbody th").all_inner_texts()
    assert units == ["区教育局"]
    assert page.locator(".verdict").count() == 0
    screenshot(page, "dashboard-liaison")
