"""Spot checks in a real browser: the inspector opens a campaign and records a problem, the
unit rectifies, the inspector verifies, closes and publishes, and the results page is on the
portal; the published score table and annual report pages pass the accessibility audit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from columns.models import Unit
from monitoring.inspections import sampling, services
from monitoring.inspections.models import (
    CampaignStatus,
    ProblemStatus,
    SpotCheckCampaign,
    SpotCheckProblem,
)
from monitoring.inspections.selectors import inspected_units

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc```\xf8\x0f\x00\x01\x04\x01\x00_\xe5\xc3"
    b"K\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_inspector_runs_a_campaign_the_unit_rectifies_and_results_go_public(
    page, staff_page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    edu = Unit.objects.get(name="区教育局")
    population = list(inspected_units().values_list("pk", flat=True))
    seed = next(s for s in range(10_000) if edu.pk in sampling.draw(population, s, "0.30"))

    inspector = staff_page("inspector")
    inspector.goto("/admin/monitoring/spotcheckcampaign/add/")
    inspector.fill("#id_title", "2026年第四季度政府网站抽查（浏览器测试）")
    inspector.fill("#id_year", "2026")
    inspector.select_option("#id_quarter", "4")
    inspector.fill("#id_ratio", "0.30")
    inspector.fill("#id_seed", str(seed))
    inspector.get_by_role("button", name="开展抽查并抽取样本").click()
    inspector.wait_for_url("**/change/")
    assert "用此随机数种子重新抽样，结果相同" in inspector.content()
    campaign = SpotCheckCampaign.objects.get(title__endswith="（浏览器测试）")
    assert campaign.samples.count() >= 0.3 * len(population)
    screenshot(inspector, "inspections-campaign-opened")

    inspector.select_option("#pick-unit", str(edu.pk))
    inspector.get_by_role("button", name="显示监测发现").click()
    inspector.wait_for_selector("#problem-form")
    inspector.select_option("#category", "stale_column")
    inspector.fill("#description", "“教育动态”栏目超过两周未更新。")
    inspector.fill("#evidence_url", "https://www.example.gov.cn/columns/news/dept-news/edu-news/")
    shot = tmp_path / "evidence.png"
    shot.write_bytes(PNG)
    inspector.set_input_files("#screenshot", str(shot))
    deadline = timezone.localdate() + timedelta(days=7)
    inspector.fill("#deadline", deadline.isoformat())
    inspector.get_by_role("button", name="记录问题", exact=True).click()
    inspector.wait_for_selector(".messagelist .success")
    problem = SpotCheckProblem.objects.get(campaign=campaign)
    assert problem.deadline == deadline and problem.screenshot
    screenshot(inspector, "inspections-problem-recorded")

    liaison = staff_page("edu_liaison")
    liaison.goto("/admin/monitoring/spotcheckproblem/")
    liaison.get_by_role("link", name="区教育局 · 栏目未更新").click()
    liaison.fill("#response", "已补发三条教育动态，并明确专人每周更新。")
    liaison.get_by_role("button", name="报送整改情况").click()
    liaison.wait_for_selector(".messagelist .success")
    screenshot(liaison, "inspections-unit-rectified")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ANSWERED

    inspector.goto(f"/admin/monitoring/spotcheckproblem/{problem.pk}/change/")
    inspector.get_by_role("button", name="已整改：核查通过").click()
    inspector.wait_for_selector(".messagelist .success")
    inspector.goto(f"/admin/monitoring/spotcheckcampaign/{campaign.pk}/change/")
    inspector.get_by_role("button", name="结束抽查").click()
    inspector.wait_for_selector("#summary")
    inspector.fill("#summary", "本次抽查发现问题1个，已全部整改到位。")
    inspector.get_by_role("button", name="在门户网站公布抽查结果").click()
    inspector.wait_for_selector(".messagelist .success")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED

    page.goto("/inspections/")
    page.get_by_role("link", name=campaign.title).click()
    page.wait_for_url(f"**{campaign.get_absolute_url()}")
    body = page.locator("main").inner_text()
    assert "区教育局" in body and "已整改" in body and "本次抽查发现问题1个" in body
    assert str(campaign.seed) in body
    assert_accessible(page)
    screenshot(page, "inspections-results-public")


def test_published_scores_and_report_pages_are_accessible(page, phone_page, staff_page, demo):
    inspector = services.selectors.inspectors().get(username="inspector")
    month = services.compute_month(year=2025, month=6)
    for score in month.scores.all():
        services.confirm_score(
            score=score, points={item.rule_id: 20 for item in score.items.all()}, by=inspector
        )
    services.publish_month(month=month, by=inspector)
    (report,) = [r for r in services.generate_annual_reports(year=2025) if r.site_id == demo.pk]
    from monitoring.inspections import reports

    services.complete_report(
        report=report,
        values={f.key: "3" for f in reports.fields_of(report) if f.by_hand},
        by=inspector,
    )
    services.review_report(report=report, by=inspector)
    services.publish_report(report=report, by=inspector)

    for path, name in (
        ("/inspections/", "inspections-index"),
        ("/inspections/scores/2025/6/", "inspections-month-table"),
        ("/inspections/scores/2025/", "inspections-year-ranking"),
        (report.get_absolute_url(), "inspections-annual-report"),
    ):
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        screenshot(page, name)
    phone_page.goto("/inspections/scores/2025/6/")
    assert_accessible(phone_page)
    screenshot(phone_page, "inspections-month-table-phone")
    page.goto(report.get_absolute_url())
    page.emulate_media(media="print")
    screenshot(page, "inspections-annual-report-print")

    # The inspector's own pages for the same records, to look at.
    inspector_page = staff_page("inspector")
    inspector_page.goto(f"/admin/monitoring/annualreport/{report.pk}/change/")
    assert "信息发布总数" in inspector_page.content()
    screenshot(inspector_page, "inspections-admin-annual-report")
    inspector_page.goto(f"/admin/monitoring/scoremonth/{month.pk}/change/")
    screenshot(inspector_page, "inspections-admin-score-month")
    score = month.scores.first()
    inspector_page.goto(f"/admin/monitoring/monthlyscore/{score.pk}/change/")
    screenshot(inspector_page, "inspections-admin-score")
