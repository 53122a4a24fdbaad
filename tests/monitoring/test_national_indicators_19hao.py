"""国办秘函〔2019〕19号 on a site of known data: the 网站不更新 veto reads what the homepage
renders, and the 扣分 part is scored by the rules stored as data, with deductions worked out
by hand in each test."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from columns.models import OperationLog, Site, SiteHost
from monitoring.indicators import assess
from monitoring.models import (
    BrokenLink,
    ColumnFreshness,
    FreshnessState,
    IndicatorRule,
    LinkCheckRun,
    ScoringScheme,
)
from publishing.models import Article, ArticleStatus

from .factories import make_column, publish_in

pytestmark = pytest.mark.django_db

HOST = "t19.example.gov.cn"


@pytest.fixture
def site(demo):
    """A fresh sub-site of the demo portal with nothing on it, served at HOST."""
    site = Site.objects.create(
        name="测试子站",
        parent=demo,
        site_code="5201020099",
        icp_number="黔ICP备00000000号",
        police_number="52010202000000",
        sponsor="测试单位",
        organiser="测试单位",
    )
    SiteHost.objects.create(site=site, hostname=HOST, is_primary=True)
    return site


def homepage(site):
    response = Client(HTTP_HOST=HOST).get("/")
    assert response.status_code == 200
    return response.content.decode()


def item(assessment, code):
    return next(i for i in assessment.items if i.indicator.code == code)


# --- 网站不更新: the homepage's own selection -------------------------------------------------


def test_homepage_that_lists_nothing_fails_though_a_marked_column_has_a_new_item(site):
    # 新闻 is a navigation entry (its sub-column is the homepage's section); its own new item
    # is on its page, not on the homepage, whose only section is empty.
    news = make_column(site, "news", on_homepage=True)
    make_column(site, "notices", category="notice", parent=news, on_homepage=True)
    publish_in(news, title="只在栏目页的新信息")
    assert "只在栏目页的新信息" not in homepage(site)
    outcome = item(assess(site), "homepage_stale").outcome
    assert outcome.triggered
    assert [e.label for e in outcome.evidence] == [f"{site} / 测试栏目notices"]


def test_item_the_homepage_shows_counts_though_filed_in_an_unmarked_sub_column(site):
    news = make_column(site, "news", on_homepage=True)
    dept = make_column(site, "dept", parent=news, on_homepage=True)
    edu = make_column(site, "edu", parent=dept)
    publish_in(edu, title="部门动态里的新信息")
    assert "部门动态里的新信息" in homepage(site)
    assert not item(assess(site), "homepage_stale").outcome.triggered


def test_item_without_publication_time_counts_as_not_updated(site, demo):
    news = make_column(site, "news", on_homepage=True)
    Article.objects.create(
        title="没有发布时间的信息",
        body="<p>正文</p>",
        column=news,
        unit=news.unit,
        author=publish_in(news, timezone.now() - timedelta(days=30)).author,
        status=ArticleStatus.PUBLISHED,
        published_at=None,
    )
    outcome = item(assess(site), "homepage_stale").outcome
    assert outcome.triggered
    assert outcome.evidence[0].label.endswith(news.name)
    last = timezone.localtime(timezone.now() - timedelta(days=30)).strftime("%Y-%m-%d")
    assert last in str(outcome.evidence[0].detail)


def test_navigation_only_homepage_is_judged_by_its_second_level_pages(site):
    about = make_column(site, "about")
    inner = make_column(site, "work", parent=about)
    old = publish_in(inner, timezone.now() - timedelta(days=20), title="二级页面旧信息")
    assert item(assess(site), "homepage_stale").outcome.triggered
    publish_in(inner, title="二级页面新信息")
    outcome = item(assess(site), "homepage_stale").outcome
    assert not outcome.triggered
    assert [e.label for e in outcome.evidence] == [f"{site} / {about.name}"]
    assert old.title not in homepage(site)


# --- the 扣分 part ---------------------------------------------------------------------------


@pytest.fixture
def scored(site):
    """A site with a fresh homepage and a link check of known findings:
    12 dead homepage links × 1 = 12, capped at its 10 points  → 10
    30 dead links elsewhere × 0.1                             →  3
    1 footer item missing × 1                                 →  1
    a service column not updated in 92 days                   →  5
    search box present                                        →  0
    deducted 19 of 100 → 81."""
    news = make_column(site, "news", on_homepage=True)
    publish_in(news)
    service = make_column(site, "guides", category="service")
    now = timezone.now()
    ColumnFreshness.objects.create(
        column=service,
        state=FreshnessState.OK,
        since=now,
        last_published_at=now - timedelta(days=100),
        max_gap_days=365,
        checked_at=now,
    )
    run = LinkCheckRun.objects.create(
        site=site,
        started_at=now - timedelta(hours=1),
        finished_at=now,
        base_url=f"http://{HOST}/",
        homepage_has_search=True,
        footer_missing=["ICP备案编号"],
    )
    BrokenLink.objects.bulk_create(
        [
            BrokenLink(run=run, page_url="/", on_homepage=True, url=f"/dead/{n}/", problem="404")
            for n in range(12)
        ]
        + [BrokenLink(run=run, page_url="/a/", url=f"/gone/{n}/", problem="404") for n in range(30)]
    )
    return site


def test_score_caps_each_indicator_at_its_points_and_enters_the_bonus_part_over_80(scored):
    assessment = assess(scored)
    assert assessment.vetoes == []
    assert item(assessment, "homepage_links").outcome.deducted == 10
    assert item(assessment, "other_links").outcome.deducted == 3
    assert item(assessment, "service_stale").outcome.deducted == 5
    assert assessment.score == 81
    assert assessment.passed and assessment.bonus_applies


def test_site_without_service_functions_is_scored_out_of_75_times_4_3(scored):
    ScoringScheme.objects.get().sites_without_services.add(scored)
    assessment = assess(scored)
    codes = {i.indicator.code for i in assessment.items}
    assert "service_stale" not in codes and "services_unusable" not in codes
    # 10 + 3 + 1 = 14 deducted of 75: 61 × 4/3 = 81.33
    assert assessment.score == 81.3


def rule_form(rule, **changes):
    import json

    data = {
        "points": str(rule.points),
        "thresholds": json.dumps(rule.thresholds),
        "basis": rule.basis,
        "_save": "Save",
    }
    if rule.open_in_table:
        data["open_in_table"] = "on"
    if rule.concerns_services:
        data["concerns_services"] = "on"
    data.update(changes)
    return data


def change_rule(client, code, **changes):
    rule = IndicatorRule.objects.get(code=code)
    return client.post(
        f"/admin/monitoring/indicatorrule/{rule.pk}/change/", rule_form(rule, **changes)
    )


def test_operators_change_of_a_threshold_is_logged_and_changes_the_score(scored, login_as):
    operator = login_as("operator")
    # 0.1 → 1 per dead link elsewhere: 30, capped at 10 → 10 + 10 + 1 + 5 = 26 → 74
    response = change_rule(operator, "other_links", thresholds='{"points_each": 1}')
    assert response.status_code == 302
    entry = OperationLog.objects.get(action="indicator_rule_changed")
    assert entry.actor.username == "operator"
    assert entry.detail == {"thresholds": {"from": {"points_each": 0.1}, "to": {"points_each": 1}}}
    assessment = assess(scored)
    assert assessment.score == 74 and assessment.passed and not assessment.bonus_applies
    # points 10 → 26: 10 + 26 + 1 + 5 = 42 → 58, under 60: 不合格
    change_rule(operator, "other_links", points="26", thresholds='{"points_each": 1}')
    assessment = assess(scored)
    assert assessment.score == 58 and not assessment.passed
    assert assessment.reasons == ["得分 58.0 低于 60.0 分"]
    # points 24: 40 deducted → exactly 60 passes
    change_rule(operator, "other_links", points="24", thresholds='{"points_each": 1}')
    assert assess(scored).score == 60 and assess(scored).passed
    assert OperationLog.objects.filter(action="indicator_rule_changed").count() == 3


def test_operators_change_of_the_scoring_scheme_is_logged_and_applies(scored, login_as):
    scheme = ScoringScheme.objects.get()
    response = login_as("operator").post(
        f"/admin/monitoring/scoringscheme/{scheme.pk}/change/",
        {
            "total_points": "100",
            "without_services_points": "75",
            "pass_score": "85",
            "bonus_above": "90",
            "sites_without_services": [str(scored.pk)],
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    entry = OperationLog.objects.get(action="scoring_scheme_changed")
    assert entry.actor.username == "operator"
    assert set(entry.detail) == {"pass_score", "bonus_above", "sites_without_services"}
    assert entry.detail["sites_without_services"] == {"from": [], "to": [str(scored)]}
    # 14 deducted of 75 → 81.3, now under the pass mark of 85: 不合格, no bonus part.
    assessment = assess(scored)
    assert assessment.score == 81.3 and not assessment.passed and not assessment.bonus_applies


def test_thresholds_missing_a_name_are_refused_and_nothing_changes(scored, login_as):
    response = change_rule(login_as("operator"), "other_links", thresholds='{"each": 1}')
    assert response.status_code == 200
    assert "points_each" in response.content.decode()
    assert IndicatorRule.objects.get(code="other_links").thresholds == {"points_each": 0.1}
    assert not OperationLog.objects.filter(action="indicator_rule_changed").exists()


def test_inspector_reads_the_table_with_open_values_flagged_but_cannot_change_it(scored, login_as):
    inspector = login_as("inspector")
    page = inspector.get("/admin/monitoring/indicatorrule/?open_in_table__exact=1")
    assert page.status_code == 200
    assert "其他页面" in page.content.decode() or "other_links" in page.content.decode()
    rule = IndicatorRule.objects.get(code="other_links")
    assert rule.open_in_table and "表中未规定" in rule.basis
    shown = inspector.get(f"/admin/monitoring/indicatorrule/{rule.pk}/change/")
    assert shown.status_code == 200 and "表中未规定" in shown.content.decode()
    assert change_rule(inspector, "other_links", points="1").status_code == 403
    assert IndicatorRule.objects.get(code="other_links").points == 10


def test_the_score_stands_next_to_the_verdict_on_the_dashboard(scored, login_as):
    html = login_as("inspector").get(f"/admin/monitoring/compliancedashboard/?site={scored.pk}")
    text = html.content.decode()
    section = text[text.index(f'id="site-{scored.pk}"') :]
    head = section[: section.index("</h2>")]
    assert "81.0" in head and "verdict pass" in head
