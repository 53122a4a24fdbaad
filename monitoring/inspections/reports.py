"""The annual reports' fields as data: the sections of 国办函〔2018〕12号 for a website, and
the supervisor's report (监管年度报表); which figures the platform computes from its own data
and which are completed by hand.

A field with a compute function is counted at generation; one without is entered by hand and
must be filled before the report is reviewed or published (unless optional).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Sum
from django.utils.translation import gettext_lazy as _

from columns.models import Column, ColumnCategory, Site
from interaction.models import Message, MessageKind, MessageStatus
from interaction.participation.models import Consultation, Interview, InterviewStatus, Survey
from interaction.workflow import ANSWERED_STATES
from publishing.models import Article, ArticleKind, ArticleStatus, ServiceItem

from ..models import PageVisitDay
from .models import (
    ProblemStatus,
    ReportKind,
    ScoreMonth,
    SpecialSupervision,
    SpotCheckCampaign,
    SpotCheckProblem,
    SpotCheckSample,
)
from .scoring import month_bounds

COUNT, TEXT = "count", "text"


@dataclass(frozen=True)
class ReportField:
    key: str
    section: str
    label: str
    compute: Callable | None = None
    kind: str = COUNT
    optional: bool = False

    @property
    def by_hand(self):
        return self.compute is None


def year_bounds(year):
    return month_bounds(year, 1)[0], month_bounds(year + 1, 1)[0]


def published_in(year, site):
    """The site's items published in year (still online or expired since; not withdrawn)."""
    start, end = year_bounds(year)
    return Article.objects.filter(
        column__site=site,
        status__in=[ArticleStatus.PUBLISHED, ArticleStatus.EXPIRED],
        published_at__gte=start,
        published_at__lt=end,
    )


def per_column(year, site):
    """[{column, count}] of the items published in year, for every column of the site."""
    counted = dict(
        published_in(year, site).values("column").annotate(n=Count("pk")).values_list("column", "n")
    )
    return [
        {"column": column.name, "depth": column.level, "count": counted.get(column.pk, 0)}
        for column in Column.objects.filter(site=site).order_by("tree_id", "lft")
    ]


def _topics(site):
    return Column.objects.filter(site=site, is_special_topic=True)


def visits_in(year, site):
    """访问量: the sum of the site's daily page visits (monitoring's aggregate)."""
    total = PageVisitDay.objects.filter(site=site, day__year=year).aggregate(n=Sum("visits"))
    return total["n"] or 0


def messages_in(year, site=None):
    """The messages received in year (on site), merged duplicates not counted twice."""
    start, end = year_bounds(year)
    messages = Message.objects.filter(received_at__gte=start, received_at__lt=end).exclude(
        status=MessageStatus.MERGED
    )
    return messages if site is None else messages.filter(site=site)


def average_working_days(year, site):
    """平均办理时间: the mean working days to reply of the year's answered messages."""
    mean = messages_in(year, site).aggregate(d=Avg("working_days_to_reply"))["d"]
    return round(float(mean), 1) if mean is not None else "—"


def _in_year(queryset, field, year, site):
    start, end = year_bounds(year)
    return queryset.filter(site=site, **{f"{field}__gte": start, f"{field}__lt": end})


SECTIONS_SITE = {
    "publishing": _("Information published (信息发布)"),
    "topics": _("Columns and special topics (专栏专题)"),
    "interpretation": _("Interpretation and response (解读回应)"),
    "service": _("Online services (办事服务)"),
    "interaction": _("Interaction (互动交流)"),
    "security": _("Security (安全防护)"),
    "mobile": _("Mobile and new media (移动新媒体)"),
    "innovation": _("Innovation (创新发展)"),
}

SITE_FIELDS = [
    ReportField(
        "info_total",
        "publishing",
        _("Items published in total"),
        lambda y, s: published_in(y, s).count(),
    ),
    ReportField(
        "overview_updates",
        "publishing",
        _("Overview (概况类) updates"),
        lambda y, s: published_in(y, s).filter(column__category=ColumnCategory.OVERVIEW).count(),
    ),
    ReportField(
        "news_updates",
        "publishing",
        _("Government news (政务动态) items"),
        lambda y, s: published_in(y, s).filter(column__category=ColumnCategory.NEWS).count(),
    ),
    ReportField(
        "catalogue_updates",
        "publishing",
        _("Information disclosure catalogue (信息公开目录) entries"),
        lambda y, s: published_in(y, s).exclude(index_number=None).count(),
    ),
    ReportField(
        "topics_maintained",
        "topics",
        _("Special topics maintained"),
        lambda y, s: _topics(s).count(),
    ),
    ReportField(
        "topics_opened",
        "topics",
        _("Special topics opened this year"),
        lambda y, s: _topics(s).filter(topic_starts_on__year=y).count(),
    ),
    ReportField(
        "interpretations",
        "interpretation",
        _("Interpretations published"),
        lambda y, s: published_in(y, s).filter(kind=ArticleKind.INTERPRETATION).count(),
    ),
    ReportField("concerns_answered", "interpretation", _("Public concerns responded to")),
    ReportField("visits", "publishing", _("Visits in the year"), visits_in),
    ReportField(
        "service_items",
        "service",
        _("Service items published"),
        lambda y, s: ServiceItem.objects.filter(site=s, is_published=True).count(),
    ),
    ReportField("service_handled", "service", _("Service cases handled")),
    ReportField(
        "messages_received",
        "interaction",
        _("Messages received"),
        lambda y, s: messages_in(y, s).count(),
    ),
    ReportField(
        "messages_answered",
        "interaction",
        _("Messages answered"),
        lambda y, s: messages_in(y, s).exclude(answered_at=None).count(),
    ),
    ReportField(
        "messages_published",
        "interaction",
        _("Replies published"),
        lambda y, s: messages_in(y, s).filter(is_public=True, status__in=ANSWERED_STATES).count(),
    ),
    ReportField(
        "average_working_days",
        "interaction",
        _("Average working days to reply"),
        average_working_days,
        kind=TEXT,
    ),
    ReportField(
        "interviews",
        "interaction",
        _("Online interviews held"),
        lambda y, s: (
            _in_year(Interview.objects, "starts_at", y, s)
            .exclude(status=InterviewStatus.SCHEDULED)
            .count()
        ),
    ),
    ReportField(
        "consultations",
        "interaction",
        _("Consultations and surveys held"),
        lambda y, s: (
            _in_year(Consultation.objects, "opens_at", y, s).count()
            + _in_year(Survey.objects, "opens_at", y, s).count()
        ),
    ),
    ReportField("security_checks", "security", _("Security checks and assessments")),
    ReportField("security_problems_found", "security", _("Security problems found")),
    ReportField("security_problems_fixed", "security", _("Security problems fixed")),
    ReportField("security_officer", "security", _("Person responsible for security"), kind=TEXT),
    ReportField("new_media_accounts", "mobile", _("Government new media accounts"), kind=TEXT),
    ReportField("innovation", "innovation", _("Innovation and development"), kind=TEXT),
]

SECTIONS_SUPERVISOR = {
    "spot_checks": _("Spot checks (抽查)"),
    "scoring": _("Monthly scoring (月度考评)"),
    "sites": _("Sites opened, closed and merged"),
    "other": _("Other supervision"),
}


def _campaigns(year):
    return SpotCheckCampaign.objects.filter(year=year).exclude(closed_at=None)


SUPERVISOR_FIELDS = [
    ReportField(
        "campaigns",
        "spot_checks",
        _("Spot-check campaigns held"),
        lambda y, s: _campaigns(y).count(),
    ),
    ReportField(
        "units_sampled",
        "spot_checks",
        _("Units sampled"),
        lambda y, s: SpotCheckSample.objects.filter(campaign__in=_campaigns(y)).count(),
    ),
    ReportField(
        "problems_found",
        "spot_checks",
        _("Problems found"),
        lambda y, s: SpotCheckProblem.objects.filter(campaign__in=_campaigns(y)).count(),
    ),
    ReportField(
        "problems_rectified",
        "spot_checks",
        _("Problems rectified"),
        lambda y, s: SpotCheckProblem.objects.filter(
            campaign__in=_campaigns(y), status=ProblemStatus.VERIFIED
        ).count(),
    ),
    ReportField(
        "supervisions",
        "spot_checks",
        _("Units put under special supervision"),
        lambda y, s: SpecialSupervision.objects.filter(campaign__year=y).count(),
    ),
    ReportField(
        "score_months",
        "scoring",
        _("Monthly score tables published"),
        lambda y, s: ScoreMonth.objects.filter(year=y).exclude(published_at=None).count(),
    ),
    ReportField(
        "sites_open",
        "sites",
        _("Sites running on the platform"),
        lambda y, s: Site.objects.filter(status=Site.Status.OPEN).count(),
    ),
    ReportField(
        "sites_closed",
        "sites",
        _("Sites closed or merged"),
        lambda y, s: Site.objects.filter(status=Site.Status.CLOSED).count(),
    ),
    ReportField("security_checks", "other", _("Security checks organised")),
    ReportField(
        "error_reports_handled",
        "other",
        _("“Find errors” (找错) messages handled"),
        lambda y, s: (
            messages_in(y).filter(kind=MessageKind.SITE_ERROR).exclude(answered_at=None).count()
        ),
    ),
    ReportField("fake_sites", "other", _("Fake sites dealt with")),
    ReportField("training_sessions", "other", _("Training sessions held")),
]

FIELDS = {ReportKind.SITE: SITE_FIELDS, ReportKind.SUPERVISOR: SUPERVISOR_FIELDS}
SECTIONS = {ReportKind.SITE: SECTIONS_SITE, ReportKind.SUPERVISOR: SECTIONS_SUPERVISOR}


def fields_of(report):
    return FIELDS[report.kind]


def compute_figures(kind, year, site=None):
    """{key: value} of every field the platform computes for a report."""
    return {f.key: f.compute(year, site) for f in FIELDS[kind] if not f.by_hand}


def missing_fields(report):
    """The labels of the required hand-completed fields still empty."""
    return [
        str(f.label)
        for f in fields_of(report)
        if f.by_hand and not f.optional and str(report.manual.get(f.key, "")).strip() == ""
    ]


def sections(report):
    """[(section title, [(field, value)])] in order, for pages and the spreadsheet."""
    values = {**report.figures, **report.manual}
    grouped = []
    for key, title in SECTIONS[report.kind].items():
        rows = [(f, values.get(f.key, "")) for f in fields_of(report) if f.section == key]
        grouped.append((title, rows))
    return grouped


def publishing_deadline(year):
    """Published before 31 January of the following year [G十一]."""
    return date(year + 1, 1, 31)
