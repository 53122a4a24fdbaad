"""The annual report (年度工作报表): figures from the platform's data equal the database
counts for a known year, hand-completed fields, review, publication, xlsx and print."""

from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from columns.models import Column, Notification, Site, Unit
from interaction.models import Consultation, Interview, Message, Survey
from monitoring.inspections import reports, services
from monitoring.inspections.models import AnnualReport, ReportKind, ReportStatus
from monitoring.inspections.tasks import draft_annual_reports, send_inspection_reminders
from monitoring.models import PageVisitDay
from publishing import services as publishing
from publishing.models import Article, ArticleKind, ArticleStatus, ServiceItem

pytestmark = pytest.mark.django_db

SHANGHAI = timezone.get_fixed_timezone(8 * 60)
PORTAL, EDU = "5201020001", "5201020002"


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(monkeypatch):
    class Frozen:
        def at(self, *args):
            moment = at(*args)
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Frozen()


def publish(slug, moment, *, site=PORTAL, kind=ArticleKind.ARTICLE, **fields):
    operator = get_user_model().objects.get(username="operator")
    column = Column.objects.get(site__site_code=site, slug=slug)
    article = Article(
        title=f"{column.name}年报测试",
        body="<p>正文</p>",
        column=column,
        unit=column.unit,
        author=operator,
        kind=kind,
        **fields,
    )
    return publishing.import_published(article=article, by=operator, published_at=moment)


@pytest.fixture
def year_2022(demo):
    """What the portal published in 2022 (Asia/Shanghai), by hand:
    教育动态 (news) 3 in the year, plus one on 31 Dec 2021 23:59 and one on 1 Jan 2023 00:01;
    区情概况 (overview) 2; 区政府文件 2 policy documents; 政策解读 1 interpretation;
    要闻 (news) 1 published and then withdrawn; 乡村振兴 topic opened on 1 March 2022.
    The education bureau's own site: 教育新闻 1."""
    for day in (3, 150, 300):
        publish("edu-news", at(2022, 1, 1, 9) + timedelta(days=day))
    publish("edu-news", at(2021, 12, 31, 23, 59))
    publish("edu-news", at(2023, 1, 1, 0, 1))
    publish("profile", at(2022, 2, 1, 9))
    publish("profile", at(2022, 8, 1, 9))
    for month in (4, 5):
        publish(
            "gov-docs",
            at(2022, month, 10, 9),
            kind=ArticleKind.POLICY,
            document_number=f"示府发〔2022〕{month}号",
            issuing_body="示例区人民政府",
        )
    policy = Article.objects.filter(kind=ArticleKind.POLICY, published_at__year=2022).first()
    publish("interpretations", at(2022, 6, 1, 9), kind=ArticleKind.INTERPRETATION, policy=policy)
    withdrawn = publish("headlines", at(2022, 7, 1, 9))
    publishing.withdraw(
        article=withdrawn, by=get_user_model().objects.get(username="operator"), reason="错误"
    )
    Column.objects.filter(site__site_code=PORTAL, slug="rural-revitalisation").update(
        topic_starts_on="2022-03-01"
    )
    publish("news", at(2022, 9, 9, 9), site=EDU)
    portal = Site.objects.get(site_code=PORTAL)
    for day, visits in (("2021-12-31", 7), ("2022-03-01", 100), ("2022-12-31", 50)):
        PageVisitDay.objects.create(day=day, site=portal, path="/", visits=visits)
    for number, (received, kind, status, days, public) in enumerate(MESSAGES):
        answered = received + timedelta(days=days * 2) if days is not None else None
        Message.objects.create(
            site=portal,
            tracking_code=f"NB2022{number:04d}",
            query_password="x",
            kind=kind,
            subject="年报测试留言",
            content="内容",
            name="市民",
            phone="13800000000",
            status=status,
            received_at=received,
            due_at=received + timedelta(days=10),
            remind_at=received + timedelta(days=9),
            cap_at=received + timedelta(days=90),
            answered_at=answered,
            working_days_to_reply=days,
            is_public=public,
        )
    operator = get_user_model().objects.get(username="operator")
    gov = Unit.objects.get(name="区政府办公室")
    for starts, status in ((at(2022, 5, 1, 10), "archived"), (at(2022, 12, 1, 10), "scheduled")):
        Interview.objects.create(
            site=portal,
            unit=gov,
            title="在线访谈",
            created_by=operator,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            status=status,
        )
    Survey.objects.create(
        site=portal,
        unit=gov,
        title="满意度调查",
        created_by=operator,
        opens_at=at(2022, 4, 1),
        closes_at=at(2022, 4, 30),
    )


#: (received, kind, status, working days to reply, published) — by hand: 4 received in 2022
#: (the merged duplicate and the one of 2021 not counted), 3 answered, 2 published, average
#: (4 + 7 + 2) / 3 = 4.3 working days; one 找错 report handled.
MESSAGES = [
    (at(2022, 3, 1, 9), "consultation", "answered", 4, True),
    (at(2022, 5, 1, 9), "suggestion", "closed", 7, False),
    (at(2022, 11, 1, 9), "consultation", "assigned", None, False),
    (at(2022, 6, 1, 9), "consultation", "merged", None, False),
    (at(2021, 12, 31, 23), "consultation", "answered", 3, True),
    (at(2022, 8, 1, 9), "site_error", "answered", 2, True),
]


def db_counts(year, site):
    """The same figures counted straight from the database, independently of reports.py."""
    articles = Article.objects.filter(
        column__site=site,
        published_at__gte=at(year, 1, 1),
        published_at__lt=at(year + 1, 1, 1),
        status__in=[ArticleStatus.PUBLISHED, ArticleStatus.EXPIRED],
    )
    messages = Message.objects.filter(
        site=site, received_at__gte=at(year, 1, 1), received_at__lt=at(year + 1, 1, 1)
    ).exclude(status="merged")
    answered = list(
        messages.exclude(working_days_to_reply=None).values_list("working_days_to_reply", flat=True)
    )
    return {
        "info_total": articles.count(),
        "overview_updates": articles.filter(column__category="overview").count(),
        "news_updates": articles.filter(column__category="news").count(),
        "catalogue_updates": articles.filter(index_number__isnull=False).count(),
        "topics_maintained": Column.objects.filter(site=site, is_special_topic=True).count(),
        "topics_opened": Column.objects.filter(
            site=site, is_special_topic=True, topic_starts_on__year=year
        ).count(),
        "interpretations": articles.filter(kind=ArticleKind.INTERPRETATION).count(),
        "visits": sum(
            PageVisitDay.objects.filter(site=site, day__year=year).values_list("visits", flat=True)
        ),
        "service_items": ServiceItem.objects.filter(site=site, is_published=True).count(),
        "messages_received": messages.count(),
        "messages_answered": messages.filter(answered_at__isnull=False).count(),
        "messages_published": messages.filter(is_public=True, answered_at__isnull=False).count(),
        "average_working_days": round(sum(answered) / len(answered), 1) if answered else "—",
        "interviews": Interview.objects.filter(site=site, starts_at__year=year)
        .exclude(status="scheduled")
        .count(),
        "consultations": Consultation.objects.filter(site=site, opens_at__year=year).count()
        + Survey.objects.filter(site=site, opens_at__year=year).count(),
    }


def test_report_figures_equal_the_database_counts_for_a_known_year(year_2022, frozen):
    frozen.at(2023, 1, 2, 2)
    draft_annual_reports.apply()
    portal = Site.objects.get(site_code=PORTAL)
    report = AnnualReport.objects.get(year=2022, kind=ReportKind.SITE, site=portal)
    assert report.status == ReportStatus.DRAFT
    expected = {
        "info_total": 8,
        "overview_updates": 2,
        "news_updates": 3,
        "catalogue_updates": 3,
        "topics_maintained": 2,
        "topics_opened": 1,
        "interpretations": 1,
        "visits": 150,
        "service_items": ServiceItem.objects.filter(site=portal, is_published=True).count(),
        "messages_received": 4,
        "messages_answered": 3,
        "messages_published": 2,
        "average_working_days": 4.3,
        "interviews": 1,
        "consultations": 1,
    }
    assert report.figures == expected == db_counts(2022, portal)
    per_column = {row["column"]: row["count"] for row in report.per_column}
    assert per_column["教育动态"] == 3 and per_column["区情概况"] == 2
    assert per_column["要闻"] == 0 and sum(per_column.values()) == 8

    edu = AnnualReport.objects.get(year=2022, kind=ReportKind.SITE, site__site_code=EDU)
    assert edu.figures["info_total"] == 1 == db_counts(2022, edu.site)["info_total"]
    assert (
        AnnualReport.objects.filter(year=2022).count()
        == Site.objects.filter(status=Site.Status.OPEN).count() + 1
    )
    assert Notification.objects.filter(
        key="annual-report:2022:drafted", recipient__username="inspector"
    ).exists()
    supervisor = AnnualReport.objects.get(year=2022, kind=ReportKind.SUPERVISOR)
    assert supervisor.figures["error_reports_handled"] == 1


def test_supervisors_report_counts_the_spot_checks_of_the_year(demo, user_named, monkeypatch):
    inspector = user_named("inspector")
    campaign = services.open_campaign(title="2022年抽查", year=2022, quarter=4, opened_by=inspector)
    unit = campaign.samples.first().unit
    services.record_problem(
        campaign=campaign,
        unit=unit,
        category="other",
        description="年报测试问题",
        deadline=timezone.localdate() + timedelta(days=1),
        recorded_by=inspector,
    )
    later = timezone.now() + timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    services.close_campaign(campaign=campaign, by=inspector)
    (supervisor,) = [
        r for r in services.generate_annual_reports(year=2022) if r.kind == ReportKind.SUPERVISOR
    ]
    assert supervisor.figures["campaigns"] == 1
    assert supervisor.figures["units_sampled"] == campaign.samples.count() == 2
    assert supervisor.figures["problems_found"] == 1
    assert supervisor.figures["problems_rectified"] == 0
    assert supervisor.figures["sites_open"] == Site.objects.filter(status="open").count()
    assert supervisor.figures["error_reports_handled"] == 0


def complete_all(client, report, **overrides):
    values = {f.key: "1" for f in reports.fields_of(report) if f.by_hand}
    values.update(overrides)
    return client.post(
        reverse("admin:monitoring_annualreport_act", args=[report.pk, "complete"]),
        values,
        follow=True,
    )


def act(client, report, action):
    return client.post(
        reverse("admin:monitoring_annualreport_act", args=[report.pk, action]), follow=True
    )


def test_report_with_required_fields_empty_cannot_be_reviewed_or_published(
    year_2022, login_as, client
):
    services.generate_annual_reports(year=2022)
    report = AnnualReport.objects.get(year=2022, site__site_code=PORTAL)
    inspector = login_as("inspector")
    complete_all(inspector, report, concerns_answered="", security_officer="  ")
    for action in ("review", "publish"):
        html = act(inspector, report, action).content.decode()
        assert "请先填写以下必填项：回应公众关注热点或重大舆情数量、网站安全责任人" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.published_at is None
    assert client.get(report.get_absolute_url()).status_code == 404


def test_count_field_with_text_is_refused_and_nothing_saved(year_2022, login_as):
    services.generate_annual_reports(year=2022)
    report = AnnualReport.objects.get(year=2022, site__site_code=PORTAL)
    html = complete_all(login_as("inspector"), report, concerns_answered="很多").content.decode()
    assert "“回应公众关注热点或重大舆情数量”必须是不小于0的整数" in html
    report.refresh_from_db()
    assert report.manual == {}


def test_completed_report_is_reviewed_published_exported_and_printed(year_2022, login_as, client):
    services.generate_annual_reports(year=2022)
    report = AnnualReport.objects.get(year=2022, site__site_code=PORTAL)
    inspector = login_as("inspector")
    complete_all(inspector, report, concerns_answered="123456", security_officer="郑磊")
    act(inspector, report, "review")
    act(inspector, report, "publish")
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED

    page = client.get(report.get_absolute_url()).content.decode()
    assert "信息发布总数" in page and "123456" in page and "郑磊" in page
    assert "/inspections/reports/" in client.get("/inspections/").content.decode()

    response = client.get(reverse("monitoring:inspections:report_xlsx", args=[report.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["信息发布总数"] == 8 and rows["回应公众关注热点或重大舆情数量"] == 123456
    printable = inspector.get(reverse("admin:monitoring_annualreport_print", args=[report.pk]))
    assert printable.status_code == 200 and "信息发布总数" in printable.content.decode()

    # Regenerating later leaves a published report alone.
    publish("edu-news", at(2022, 12, 1, 9))
    services.generate_annual_reports(year=2022)
    report.refresh_from_db()
    assert report.figures["info_total"] == 8


def test_draft_keeps_hand_entries_when_regenerated(year_2022, user_named):
    services.generate_annual_reports(year=2022)
    report = AnnualReport.objects.get(year=2022, site__site_code=PORTAL)
    services.complete_report(
        report=report, values={"concerns_answered": "42"}, by=user_named("inspector")
    )
    publish("edu-news", at(2022, 12, 1, 9))
    services.generate_annual_reports(year=2022)
    report.refresh_from_db()
    assert report.figures["info_total"] == 9 and report.manual["concerns_answered"] == 42


def test_unpublished_reports_are_reminded_in_january_once(year_2022, frozen):
    frozen.at(2023, 1, 2, 2)
    draft_annual_reports.apply()
    frozen.at(2023, 1, 20, 8)
    send_inspection_reminders.apply()
    send_inspection_reminders.apply()
    reminders = Notification.objects.filter(
        key__endswith="publish-reminder", recipient__username="inspector"
    )
    assert reminders.count() == AnnualReport.objects.filter(year=2022).count()


def test_only_inspectors_complete_reports(year_2022, user_named):
    services.generate_annual_reports(year=2022)
    report = AnnualReport.objects.get(year=2022, site__site_code=PORTAL)
    with pytest.raises(Exception, match="只有监管人员"):
        services.complete_report(
            report=report, values={"concerns_answered": 1}, by=user_named("edu_liaison")
        )
    with pytest.raises(ValidationError):
        services.complete_report(
            report=report, values={"info_total": 5}, by=user_named("inspector")
        )
    report.refresh_from_db()
    assert report.manual == {} and Unit.objects.exists()
