"""合规监管看板 over HTTP: who sees what, numbers equal to the items behind them, drill-down,
xlsx export, and the national indicators with their thresholds."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from columns.models import OperationLog, Site, SiteHost
from monitoring import freshness
from monitoring.indicators import assess
from monitoring.models import (
    AvailabilityProbe,
    BrokenLink,
    ColumnFreshness,
    FreshnessState,
    LinkCheckRun,
    Outage,
)
from monitoring.selectors import open_sites

from .factories import make_column, publish_in, unit

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/monitoring/compliancedashboard/"


def drill(kind):
    return f"/admin/monitoring/compliancedashboard/drill/{kind}/"


def unit_rows(response):
    """{unit name: {kind: number}} as the per-unit table shows it."""
    return {row_unit.name: dict(cells) for row_unit, cells in response.context["rows"]}


def test_inspector_sees_every_unit_and_numbers_match_the_items_behind_them(demo, login_as):
    inspector = login_as("inspector")
    response = inspector.get(DASHBOARD)
    assert response.status_code == 200
    rows = unit_rows(response)
    assert {"区教育局", "区财政局", "区住房和城乡建设局"} <= set(rows)
    assert rows["区住房和城乡建设局"]["stale"] >= 1
    for unit_name, cells in rows.items():
        unit_pk = next(u.pk for u, _c in response.context["rows"] if u.name == unit_name)
        for kind, number in cells.items():
            listed = inspector.get(drill(kind), {"unit": unit_pk}).context["rows"]
            assert len(listed) == number, (unit_name, kind)
    totals = {key: n for key, _label, n in response.context["totals"]}
    assert len(inspector.get(drill("stale")).context["rows"]) == totals["stale"]
    assert totals["stale"] == ColumnFreshness.objects.filter(state=FreshnessState.STALE).count()
    page = response.content.decode()
    assert "合规监管看板" in page and "单项否决" in page and "dashboard-charts" in page


def test_drill_down_names_each_item_and_its_owner(demo, login_as):
    rows = login_as("inspector").get(drill("stale")).context["rows"]
    housing = [r for r in rows if r["unit"] == "区住房和城乡建设局"]
    assert {r["column"] for r in housing} >= {"住建动态"}
    assert all(r["url"].startswith("/admin/monitoring/columnfreshness/") for r in rows)


def test_unit_staff_see_their_own_unit_only(demo, login_as):
    liaison = login_as("edu_liaison")
    response = liaison.get(DASHBOARD)
    assert response.status_code == 200
    assert [u.name for u, _cells in response.context["rows"]] == ["区教育局"]
    assert "仅显示本单位：区教育局" in response.content.decode()
    housing = unit("housing")
    assert liaison.get(drill("stale"), {"unit": housing.pk}).status_code == 404
    assert all(r["unit"] == "区教育局" for r in liaison.get(drill("broken")).context["rows"])
    for item in response.context["assessments"][0].items:
        assert all(e.unit_id == unit("edu").pk for e in item.outcome.evidence)


def test_staff_without_a_unit_or_role_are_refused(demo, django_user_model, client):
    nobody = django_user_model.objects.create_user("nobody", password="x" * 12, is_staff=True)
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(drill("stale")).status_code == 403


def test_unknown_drill_kind_is_404(demo, login_as):
    assert login_as("inspector").get(drill("everything")).status_code == 404


def test_unit_table_exports_to_xlsx_and_the_export_is_logged(demo, login_as, user_named):
    inspector = login_as("inspector")
    shown = unit_rows(inspector.get(DASHBOARD))
    response = inspector.get(DASHBOARD, {"export": "units"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位"
    exported = {r[0]: r[1:] for r in rows[1:]}
    assert exported["区住房和城乡建设局"][0] == shown["区住房和城乡建设局"]["stale"]
    assert OperationLog.objects.filter(
        action="export", actor=user_named("inspector"), detail__file="单位.xlsx"
    ).exists()


def test_drill_down_and_indicators_export_to_xlsx(demo, login_as):
    inspector = login_as("inspector")
    listed = inspector.get(drill("broken")).context["rows"]
    sheet = load_workbook(
        BytesIO(inspector.get(drill("broken"), {"export": "xlsx"}).content)
    ).active
    assert sheet.max_row == len(listed) + 1
    book = load_workbook(BytesIO(inspector.get(DASHBOARD, {"export": "indicators"}).content))
    assert book.sheetnames[0] == "示例区人民政府"
    names = [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "网站无法访问" in names and "得分" in names


# --- indicators ---------------------------------------------------------------------------


def probes(site, *, days, per_day, failing_share):
    AvailabilityProbe.objects.filter(site=site).delete()
    now = timezone.now()
    rows = []
    total = days * per_day
    failing = round(total * failing_share)
    for number in range(total):
        rows.append(
            AvailabilityProbe(
                site=site,
                probed_at=now - timedelta(minutes=number * (24 * 60 // per_day)),
                ok=number >= failing,
                response_ms=200,
            )
        )
    AvailabilityProbe.objects.bulk_create(rows)


def item(assessment, code):
    return next(i for i in assessment.items if i.indicator.code == code)


def test_site_unreachable_at_5_percent_of_a_weeks_probes(demo):
    probes(demo, days=7, per_day=20, failing_share=0.04)
    assessment = assess(demo)
    assert not item(assessment, "site_unreachable").outcome.triggered
    probes(demo, days=7, per_day=20, failing_share=0.05)
    assessment = assess(demo)
    assert item(assessment, "site_unreachable").outcome.triggered
    assert not assessment.passed and "网站无法访问" in assessment.reasons


def test_too_few_probes_are_reported_as_insufficient(demo):
    probes(demo, days=7, per_day=10, failing_share=0)
    outcome = item(assess(demo), "site_unreachable").outcome
    assert outcome.insufficient and not outcome.triggered


def test_five_stale_news_columns_veto_the_site(demo):
    now = timezone.now()
    for number in range(4):
        publish_in(make_column(demo, f"old-news-{number}"), now - timedelta(days=20))
    freshness.check_site(demo)
    before = item(assess(demo), "columns_stale").outcome
    stale_news = ColumnFreshness.objects.filter(
        column__site=demo, column__category="news", state=FreshnessState.STALE
    ).count()
    assert before.triggered == (stale_news >= 5)
    for number in range(4, 4 + max(0, 5 - stale_news)):
        publish_in(make_column(demo, f"old-news-{number}"), now - timedelta(days=20))
    freshness.check_site(demo)
    outcome = item(assess(demo), "columns_stale").outcome
    assert outcome.triggered
    assert any("old-news-0" in e.label for e in outcome.evidence)


def test_five_blank_columns_veto_and_fewer_are_deducted(demo):
    freshness.check_site(demo)
    assert not item(assess(demo), "columns_stale").outcome.triggered
    for number in range(2):
        make_column(demo, f"blank-{number}", category="other")
    freshness.check_site(demo)
    assessment = assess(demo)
    assert item(assessment, "blank_columns").outcome.deducted == 4
    for number in range(2, 5):
        make_column(demo, f"blank-{number}", category="other")
    freshness.check_site(demo)
    assert item(assess(demo), "columns_stale").outcome.triggered


def test_secret_marker_in_a_published_item_is_a_serious_error_traced_to_its_unit(demo):
    column = make_column(demo, "leaky", unit_key="fin")
    publish_in(column, title="预算执行情况", body="<p>本材料为内部资料，注意保存。</p>")
    outcome = item(assess(demo), "serious_errors").outcome
    assert outcome.triggered
    leak = next(e for e in outcome.evidence if e.label == "预算执行情况")
    assert leak.unit == "区财政局"
    assert item(assess(demo, unit=unit("edu")), "serious_errors").outcome.evidence == []


def test_homepage_without_new_content_for_two_weeks_is_a_veto(demo):
    from publishing.models import Article

    # Everything the homepage shows: its sections' items (sub-columns and items also shown
    # there included) and the headline.
    Article.objects.filter(published_at__isnull=False).update(
        published_at=timezone.now() - timedelta(days=15)
    )
    assert item(assess(demo), "homepage_stale").outcome.triggered


def message(site, *, unit_key="edu", received_days_ago, due_days_ago, answered_days_ago=None):
    from interaction.models import Message

    now = timezone.now()
    received = now - timedelta(days=received_days_ago)
    answered = now - timedelta(days=answered_days_ago) if answered_days_ago is not None else None
    return Message.objects.create(
        site=site,
        tracking_code=f"T{received_days_ago:03d}{due_days_ago:03d}{Message.objects.count():05d}",
        query_password="!",
        kind="consultation",
        unit=unit(unit_key),
        subject="咨询入学政策",
        content="请问入学需要哪些材料？",
        name="张三",
        phone="13900000000",
        status="answered" if answered else "assigned",
        received_at=received,
        due_at=now - timedelta(days=due_days_ago),
        remind_at=now - timedelta(days=due_days_ago + 1),
        cap_at=received + timedelta(days=92),
        answered_at=answered,
        answered_on_time=None
        if answered is None
        else answered <= now - timedelta(days=due_days_ago),
    )


def test_overdue_messages_are_counted_per_unit_and_listed(demo, login_as):
    overdue = message(demo, received_days_ago=20, due_days_ago=5)
    message(demo, received_days_ago=2, due_days_ago=-5)  # not yet due
    inspector = login_as("inspector")
    rows = unit_rows(inspector.get(DASHBOARD))
    listed = inspector.get(drill("overdue"), {"unit": unit("edu").pk}).context["rows"]
    assert rows["区教育局"]["overdue"] == len(listed)
    assert overdue.tracking_code in {r["item"].split()[0] for r in listed}


def test_consultation_unanswered_for_three_months_is_poor_interaction(demo):
    message(demo, received_days_ago=80, due_days_ago=70)
    assert not item(assess(demo), "poor_interaction").outcome.triggered
    late = message(demo, received_days_ago=100, due_days_ago=90)
    outcome = item(assess(demo), "poor_interaction").outcome
    assert outcome.triggered
    assert [e.label.split()[0] for e in outcome.evidence] == [late.tracking_code]
    assert outcome.evidence[0].unit == "区教育局"
    late_replies = item(assess(demo), "late_replies").outcome
    assert late.tracking_code in {e.label.split()[0] for e in late_replies.evidence}


def test_service_guide_missing_key_elements_is_a_veto(demo):
    from publishing.models import ServiceItem

    assert not item(assess(demo), "services_unusable").outcome.triggered
    guide = ServiceItem.objects.filter(site=demo, is_published=True).first()
    ServiceItem.objects.filter(pk=guide.pk).update(conditions="")
    outcome = item(assess(demo), "services_unusable").outcome
    assert outcome.triggered
    assert any(e.label == guide.name and "受理条件" in e.detail for e in outcome.evidence)


# --- every site at once -------------------------------------------------------------------


def populated_site(demo, number):
    """A sub-site of the demo portal with something behind each indicator: a homepage
    section with an item, a blank column, a mailbox with a late consultation, probes and an
    outage, a finished link check with broken links on and off the homepage."""
    site = Site.objects.create(
        name=f"计数测试子站{number}",
        parent=demo,
        site_code=f"52010201{number:02d}",
        icp_number="黔ICP备00000000号",
        police_number="52010202000000",
        sponsor="测试单位",
        organiser="测试单位",
    )
    SiteHost.objects.create(site=site, hostname=f"count{number}.example.gov.cn", is_primary=True)
    publish_in(make_column(site, f"count-news-{number}", on_homepage=True))
    make_column(site, f"count-notice-{number}", category="notice")
    make_column(site, f"count-mailbox-{number}", category="interaction")
    freshness.check_site(site)
    probes(site, days=2, per_day=4, failing_share=0.5)
    now = timezone.now()
    Outage.objects.create(site=site, started_at=now - timedelta(hours=3), first_error="超时")
    run = LinkCheckRun.objects.create(
        site=site,
        started_at=now - timedelta(hours=1),
        finished_at=now,
        base_url=f"http://count{number}.example.gov.cn/",
        homepage_has_search=False,
        footer_missing=["ICP备案编号"],
    )
    BrokenLink.objects.bulk_create(
        [
            BrokenLink(run=run, page_url="/", on_homepage=True, url="/dead/", problem="404"),
            BrokenLink(run=run, page_url="/a/", url="/gone/", problem="404"),
        ]
    )
    message(site, received_days_ago=200, due_days_ago=180)
    return site


def dashboard_queries(client):
    """The queries of the dashboard over every open site, rendered (after one request that
    fills the caches), and the sites it assessed."""
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return len(queries), [a.site for a in response.context["assessments"]]


def test_the_dashboard_over_every_site_runs_as_many_queries_for_5_sites_as_for_2(demo, login_as):
    inspector = login_as("inspector")
    assert open_sites().count() == 2
    for_two, assessed = dashboard_queries(inspector)
    assert len(assessed) == 2

    added = [populated_site(demo, number) for number in range(3)]
    for_five, assessed = dashboard_queries(inspector)
    assert assessed[-3:] == added
    assert for_five == for_two
    # The new sites' items are on it: their vetoes and broken links were read, not skipped.
    first = next(a for a in inspector.get(DASHBOARD).context["assessments"] if a.site == added[0])
    assert item(first, "site_unreachable").outcome.triggered
    assert item(first, "poor_interaction").outcome.triggered
    assert len(item(first, "homepage_links").outcome.evidence) == 1
    assert not item(first, "homepage_stale").outcome.triggered
