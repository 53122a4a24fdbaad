"""国家检查指标 — the national inspection indicators (国办秘函〔2019〕19号) computed for a site,
each with the evidence behind it.

INDICATORS declares every item: its code, name, kind (单项否决 veto or 扣分 deduction) and the
function that collects its evidence. Its thresholds and points are data (IndicatorRule, and
the ScoringScheme of the 扣分 part), read at every assessment. A site fails (不合格) when a
veto item is triggered or its score falls under the scheme's pass mark. With a unit,
evidence is cut down to that unit's items (what a unit's staff see); the verdict is the
site's.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from columns.admin_links import change_url, changelist_url
from columns.models import Column, ColumnCategory
from interaction import workflow as mailbox_workflow
from interaction.models import Message, MessageKind
from publishing.content_checks import Rule, check_text
from publishing.models import Article, ArticleStatus, ServiceItem
from publishing.selectors import current_headline, homepage_sections, public_articles_in

from .models import (
    AvailabilityProbe,
    BrokenLink,
    ColumnFreshness,
    FreshnessState,
    IndicatorKind,
    IndicatorRule,
    Outage,
    ScoringScheme,
)
from .selectors import latest_crawl
from .tamper import plain_text

VETO = IndicatorKind.VETO
DEDUCTION = IndicatorKind.DEDUCTION


@dataclass
class Evidence:
    """One item behind an indicator: what, whose, and where to look."""

    label: str
    detail: str = ""
    unit: str = ""
    unit_id: int | None = None
    url: str = ""


@dataclass
class Outcome:
    """What an indicator found: triggered (veto), points deducted (before the cap of the
    indicator's points), a summary, the evidence."""

    triggered: bool = False
    deducted: float = 0
    summary: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    insufficient: bool = False


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: str
    collect: object  # (site, thresholds, now) -> Outcome; thresholds from IndicatorRule


def _column_evidence(freshness):
    column = freshness.column
    last = (
        timezone.localtime(freshness.last_published_at).strftime("%Y-%m-%d")
        if freshness.last_published_at
        else "—"
    )
    return Evidence(
        label=f"{column.site} / {column.name}",
        detail=_("%(state)s, last update %(last)s, rule %(days)s days")
        % {"state": freshness.get_state_display(), "last": last, "days": freshness.max_gap_days},
        unit=str(column.unit or ""),
        unit_id=column.unit_id,
        url=changelist_url(ColumnFreshness, column__id__exact=column.pk),
    )


def _states(site):
    return ColumnFreshness.objects.filter(column__site=site).select_related(
        "column", "column__unit", "column__site"
    )


def _link_evidence(link):
    owner = link.article or link.column
    return Evidence(
        label=link.url[:200],
        detail=f"{link.problem} · {owner or link.page_url}",
        unit=str(link.unit or ""),
        unit_id=link.unit_id,
        url=change_url(link),
    )


# --- veto items ------------------------------------------------------------------------------


def site_unreachable(site, t, now):
    start = now - timedelta(days=t["days"])
    probes = AvailabilityProbe.objects.filter(site=site, probed_at__gte=start)
    total = probes.count()
    failed = probes.filter(Q(ok=False) | Q(response_ms__gt=t["load_within_seconds"] * 1000)).count()
    share = failed / total if total else 0
    outcome = Outcome(
        triggered=total > 0 and share >= t["failure_share"],
        insufficient=total < t["days"] * t["probes_per_day"],
        summary=_("%(failed)s of %(total)s probes failed (%(share).1f%%) in %(days)s days")
        % {"failed": failed, "total": total, "share": share * 100, "days": t["days"]},
    )
    for outage in Outage.objects.filter(site=site).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=start)
    )[:50]:
        outcome.evidence.append(
            Evidence(
                label=timezone.localtime(outage.started_at).strftime("%Y-%m-%d %H:%M"),
                detail=outage.first_error,
                url=change_url(outage),
            )
        )
    return outcome


def _homepage_pages(site):
    """[(column, items shown)] the homepage renders — or, when it lists no items (a
    navigation page only), each second-level page: the pages of its top-level columns."""
    columns = list(Column.objects.filter(site=site).order_by("tree_id", "lft"))
    sections = homepage_sections(columns)
    if sections:
        return sections
    return [(c, list(public_articles_in(c)[:1])) for c in columns if c.parent_id is None]


def homepage_stale(site, t, now):
    """网站不更新: nothing new in t["days"] among what the homepage shows (its sections and its
    headline, the very selection it renders; its second-level pages when it is only a
    navigation page). An item without a publication time counts as not updated."""
    pages = _homepage_pages(site)
    headline = current_headline(site)
    shown = [a for _column, items in pages for a in items] + ([headline] if headline else [])
    dated = [a.published_at for a in shown if a.published_at and a.published_at <= now]
    last = max(dated, default=None)
    evidence = []
    for column, items in pages:
        times = [a.published_at for a in items if a.published_at]
        evidence.append(
            Evidence(
                label=f"{column.site} / {column.name}",
                detail=_("last item %(day)s") % {"day": _day(max(times))}
                if times
                else _("no item with a publication time: counts as not updated"),
                unit=str(column.unit or ""),
                unit_id=column.unit_id,
                url=changelist_url(ColumnFreshness, column__id__exact=column.pk),
            )
        )
    return Outcome(
        triggered=last is None or now - last > timedelta(days=t["days"]),
        summary=_("last new item on the homepage %(days)s days ago") % {"days": (now - last).days}
        if last
        else _("the homepage shows no item with a publication time"),
        evidence=evidence,
    )


def _day(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def columns_stale(site, t, now):
    states = list(_states(site).filter(state__in=[FreshnessState.STALE, FreshnessState.BLANK]))
    stale = [f for f in states if f.state == FreshnessState.STALE]
    blank = [f for f in states if f.state == FreshnessState.BLANK]
    key = [
        f
        for f in stale
        if f.column.category == ColumnCategory.NEWS
        or (
            f.column.category in (ColumnCategory.NOTICE, ColumnCategory.POLICY)
            and f.column.level <= t["policy_column_max_level"]
        )
    ]
    triggered = (
        len(key) >= t["key_columns"] or len(stale) >= t["any_columns"] or len(blank) >= t["blank"]
    )
    return Outcome(
        triggered=triggered,
        summary=_(
            "%(key)s news or first-level notice/policy columns not updated, %(stale)s columns "
            "not updated in all, %(blank)s blank columns"
        )
        % {"key": len(key), "stale": len(stale), "blank": len(blank)},
        evidence=[_column_evidence(f) for f in states],
    )


def serious_errors(site, t, now):
    """Secret markers and serious wording errors in published items (the one content checker),
    and forged publish dates: a publish time earlier than the approval that allowed it."""
    evidence = []
    articles = Article.objects.filter(
        column__site=site,
        status=ArticleStatus.PUBLISHED,
        published_at__gte=now - timedelta(days=t["scan_days"]),
    ).select_related("unit", "column")
    for article in articles:
        findings = check_text(f"{article.title}\n{plain_text(article.body)}", hosts=())
        for finding in findings:
            if finding.rule in (Rule.SECRET_MARKER, Rule.WORDING):
                evidence.append(
                    Evidence(
                        label=str(article),
                        detail=f"{finding.rule_label}: {finding.match}",
                        unit=str(article.unit),
                        unit_id=article.unit_id,
                        url=change_url(article),
                    )
                )
    forged = Article.objects.filter(
        column__site=site,
        status=ArticleStatus.PUBLISHED,
        approved_at__isnull=False,
        published_at__lt=F("approved_at") - timedelta(hours=t["backdate_tolerance_hours"]),
    ).select_related("unit")
    for article in forged:
        evidence.append(
            Evidence(
                label=str(article),
                detail=_("publish time %(published)s is before its approval %(approved)s")
                % {
                    "published": timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
                    "approved": timezone.localtime(article.approved_at).strftime("%Y-%m-%d"),
                },
                unit=str(article.unit),
                unit_id=article.unit_id,
                url=change_url(article),
            )
        )
    return Outcome(
        triggered=bool(evidence),
        summary=_("%(count)s serious errors") % {"count": len(evidence)},
        evidence=evidence,
    )


def _message_evidence(message, detail):
    return Evidence(
        label=f"{message.tracking_code} {message.subject}",
        detail=detail,
        unit=str(message.unit or ""),
        unit_id=message.unit_id,
        url=change_url(message),
    )


def _has_mailbox(site, *, own=False):
    """A consultation channel: an interaction column on the site (a sub-site may rely on its
    portal's unified mailbox unless own)."""
    sites = [site.pk] if own or not site.parent_id else [site.pk, site.parent_id]
    return Column.objects.filter(site__in=sites, category=ColumnCategory.INTERACTION).exists()


def poor_interaction(site, t, now):
    """互动回应差: no working consultation channel, or a consultation of the past year left
    unanswered past its 3-month cap (Message.cap_at, receipt + 3 calendar months, the same
    limit the mailbox holds replies to): answered after it, or still open at it."""
    late = (
        Message.objects.filter(
            site=site,
            kind=MessageKind.CONSULTATION,
            received_at__gte=now - timedelta(days=t["window_days"]),
        )
        .filter(
            Q(answered_at__isnull=True, status__in=mailbox_workflow.OPEN_STATES, cap_at__lt=now)
            | Q(answered_at__gt=F("cap_at"))
        )
        .select_related("unit")
    )
    evidence = [
        _message_evidence(
            m,
            _("received %(day)s, not answered within 3 months")
            % {"day": timezone.localtime(m.received_at).strftime("%Y-%m-%d")},
        )
        for m in late
    ]
    channel = _has_mailbox(site)
    return Outcome(
        triggered=not channel or bool(evidence),
        summary=(
            _("%(count)s consultations left unanswered over 3 months") % {"count": len(evidence)}
            if channel
            else _("no consultation channel")
        ),
        evidence=evidence,
    )


#: 办事指南要素: what every published service guide must state (SPEC §6).
GUIDE_ELEMENTS = ("legal_basis", "conditions", "procedure", "time_limit", "office", "contact")


def services_unusable(site, t, now):
    """服务不实用: no service entry (no published service item on the site or its portal), or
    published guides missing key elements (the fields above, or the list of materials)."""
    sites = [site.pk, site.parent_id] if site.parent_id else [site.pk]
    items = list(
        ServiceItem.objects.filter(site__in=sites, is_published=True)
        .select_related("unit")
        .annotate(material_count=Count("materials"))
    )
    evidence = []
    for item in items:
        missing = [
            str(ServiceItem._meta.get_field(name).verbose_name)
            for name in GUIDE_ELEMENTS
            if not (getattr(item, name) or "").strip()
        ]
        if not item.material_count:
            missing.append(str(_("required materials")))
        if missing:
            evidence.append(
                Evidence(
                    label=item.name,
                    detail=_("missing: %(items)s") % {"items": "、".join(missing)},
                    unit=str(item.unit or ""),
                    unit_id=item.unit_id,
                    url=change_url(item),
                )
            )
    return Outcome(
        triggered=not items or len(evidence) >= t["incomplete_guides"],
        summary=_("%(items)s service items, %(incomplete)s guides missing key elements")
        % {"items": len(items), "incomplete": len(evidence)}
        if items
        else _("no service entry"),
        evidence=evidence,
    )


# --- deduction items -------------------------------------------------------------------------


def _links(site, t, now, *, on_homepage):
    run = latest_crawl(site)
    if run is None:
        return Outcome(insufficient=True, summary=_("no link check yet"))
    links = list(
        BrokenLink.objects.filter(run=run, on_homepage=on_homepage).select_related(
            "article", "column", "unit"
        )
    )
    return Outcome(
        deducted=len(links) * t["points_each"],
        summary=_("%(count)s unusable links (check of %(when)s)")
        % {"count": len(links), "when": timezone.localtime(run.started_at).strftime("%Y-%m-%d")},
        evidence=[_link_evidence(link) for link in links],
    )


def homepage_links(site, t, now):
    return _links(site, t, now, on_homepage=True)


def other_links(site, t, now):
    return _links(site, t, now, on_homepage=False)


def policy_columns_stale(site, t, now):
    stale = [
        f
        for f in _states(site).filter(
            state=FreshnessState.STALE,
            column__category__in=[ColumnCategory.NOTICE, ColumnCategory.POLICY],
        )
        if f.column.level > t["first_level"]
    ]
    return Outcome(
        deducted=len(stale) * t["points_each"],
        summary=_("%(count)s notice or policy columns not updated in 6 months")
        % {"count": len(stale)},
        evidence=[_column_evidence(f) for f in stale],
    )


def service_stale(site, t, now):
    cutoff = now - timedelta(days=t["days"])
    stale = [
        f
        for f in _states(site).filter(column__category=ColumnCategory.SERVICE)
        if f.last_published_at is None or f.last_published_at < cutoff
    ]
    return Outcome(
        deducted=t["points"] if stale else 0,
        summary=_("%(count)s service columns not updated in %(days)s days")
        % {"count": len(stale), "days": t["days"]},
        evidence=[_column_evidence(f) for f in stale],
    )


def blank_columns(site, t, now):
    blank = list(_states(site).filter(state=FreshnessState.BLANK))
    return Outcome(
        deducted=len(blank) * t["points_each"],
        summary=_("%(count)s blank columns") % {"count": len(blank)},
        evidence=[_column_evidence(f) for f in blank],
    )


def search_missing(site, t, now):
    run = latest_crawl(site)
    if run is None or run.homepage_has_search is None:
        return Outcome(insufficient=True, summary=_("no link check yet"))
    return Outcome(
        deducted=0 if run.homepage_has_search else t["points"],
        summary=_("search box on the homepage")
        if run.homepage_has_search
        else _("no search box on the homepage"),
    )


def footer_missing(site, t, now):
    run = latest_crawl(site)
    if run is None:
        return Outcome(insufficient=True, summary=_("no link check yet"))
    missing = run.footer_missing or []
    return Outcome(
        deducted=len(missing) * t["points_each"],
        summary=_("footer items missing: %(items)s") % {"items": "、".join(missing) or "—"},
        evidence=[Evidence(label=item) for item in missing],
    )


def reply_list_stale(site, t, now):
    """答复列表: the site's public list of answered messages not updated in two months."""
    if not _has_mailbox(site, own=True):
        return Outcome(summary=_("no mailbox of its own"))
    last = (
        Message.objects.filter(
            site=site, is_public=True, status__in=mailbox_workflow.ANSWERED_STATES
        )
        .order_by("-answered_at")
        .values_list("answered_at", flat=True)
        .first()
    )
    stale = last is None or now - last > timedelta(days=t["days"])
    return Outcome(
        deducted=t["points"] if stale else 0,
        summary=_("last published reply %(day)s")
        % {"day": timezone.localtime(last).strftime("%Y-%m-%d") if last else "—"},
    )


def late_replies(site, t, now):
    """Messages of the past year answered after their deadline, or open past it."""
    late = (
        Message.objects.filter(site=site, received_at__gte=now - timedelta(days=t["window_days"]))
        .filter(
            Q(answered_on_time=False) | Q(status__in=mailbox_workflow.OPEN_STATES, due_at__lt=now)
        )
        .select_related("unit")
    )
    evidence = [
        _message_evidence(
            m,
            _("due %(day)s") % {"day": timezone.localtime(m.due_at).strftime("%Y-%m-%d")},
        )
        for m in late
    ]
    return Outcome(
        deducted=len(evidence) * t["points_each"],
        summary=_("%(count)s messages answered late or overdue") % {"count": len(evidence)},
        evidence=evidence,
    )


INDICATORS = [
    Indicator("site_unreachable", _("Site unreachable"), VETO, site_unreachable),
    Indicator("homepage_stale", _("Homepage not updated"), VETO, homepage_stale),
    Indicator("columns_stale", _("Columns not updated"), VETO, columns_stale),
    Indicator("serious_errors", _("Serious errors"), VETO, serious_errors),
    Indicator("poor_interaction", _("Poor interaction"), VETO, poor_interaction),
    Indicator("services_unusable", _("Services not usable"), VETO, services_unusable),
    Indicator("homepage_links", _("Unusable links on the homepage"), DEDUCTION, homepage_links),
    Indicator("other_links", _("Unusable links on other pages"), DEDUCTION, other_links),
    Indicator(
        "policy_columns_stale",
        _("Notice and policy columns not updated in 6 months"),
        DEDUCTION,
        policy_columns_stale,
    ),
    Indicator(
        "service_stale",
        _("Service information not updated in 3 months"),
        DEDUCTION,
        service_stale,
    ),
    Indicator("blank_columns", _("Blank columns"), DEDUCTION, blank_columns),
    Indicator(
        "reply_list_stale", _("Reply list not updated in 2 months"), DEDUCTION, reply_list_stale
    ),
    Indicator("late_replies", _("Late replies"), DEDUCTION, late_replies),
    Indicator("search_missing", _("No site search"), DEDUCTION, search_missing),
    Indicator("footer_missing", _("Footer items missing"), DEDUCTION, footer_missing),
]


@dataclass
class ItemResult:
    indicator: Indicator
    outcome: Outcome
    rule: IndicatorRule

    @property
    def failed(self):
        if self.indicator.kind == VETO:
            return self.outcome.triggered
        return self.outcome.deducted > 0 or self.outcome.triggered


def _points(value):
    return float(value) if value is not None else 0.0


@dataclass
class Assessment:
    """A site's result: every indicator checked for it, the 扣分 score and the verdict.

    The score is the scheme's total less each 扣分 item's deductions (capped at its points);
    a site without service functions is not checked on the service items and its score is
    out of the smaller base, scaled to the total (75 × 4/3 in 19号)."""

    site: object
    items: list[ItemResult]
    scheme: ScoringScheme
    without_services: bool = False

    @property
    def deducted(self):
        return sum(i.outcome.deducted for i in self.items if i.indicator.kind == DEDUCTION)

    @property
    def score(self):
        total = _points(self.scheme.total_points)
        if self.without_services:
            base = _points(self.scheme.without_services_points)
            return round(max(base - self.deducted, 0) * total / base, 1)
        return round(max(total - self.deducted, 0), 1)

    @property
    def vetoes(self):
        return [i for i in self.items if i.indicator.kind == VETO and i.outcome.triggered]

    @property
    def passed(self):
        return not self.vetoes and self.score >= _points(self.scheme.pass_score)

    @property
    def bonus_applies(self):
        """Over the scheme's mark (80) the 加分 part of the table is assessed."""
        return not self.vetoes and self.score > _points(self.scheme.bonus_above)

    @property
    def reasons(self):
        reasons = [str(i.indicator.name) for i in self.vetoes]
        if self.score < _points(self.scheme.pass_score):
            reasons.append(
                str(
                    _("score %(score)s under %(pass)s")
                    % {"score": self.score, "pass": _points(self.scheme.pass_score)}
                )
            )
        return reasons


def assess(site, *, unit=None, now=None):
    """Every indicator for site by the current rules; with unit, each one's evidence cut to
    that unit's items."""
    now = now or timezone.now()
    scheme = ScoringScheme.objects.get()
    without_services = scheme.sites_without_services.filter(pk=site.pk).exists()
    rules = {rule.code: rule for rule in IndicatorRule.objects.all()}
    items = []
    for indicator in INDICATORS:
        rule = rules[indicator.code]
        if without_services and rule.concerns_services:
            continue  # 不检查: no service items for a department without service functions
        thresholds = {**rule.thresholds, "points": _points(rule.points)}
        outcome = indicator.collect(site, thresholds, now)
        if indicator.kind == DEDUCTION:
            outcome.deducted = round(min(outcome.deducted, thresholds["points"]), 2)
        if unit is not None:
            # A unit sees its own items, not the site's totals or score.
            mine = [e for e in outcome.evidence if e.unit_id == unit.pk]
            outcome = Outcome(
                triggered=bool(mine),
                deducted=0,
                summary=_("%(count)s items of your unit") % {"count": len(mine)},
                evidence=mine,
            )
        items.append(ItemResult(indicator, outcome, rule))
    return Assessment(site=site, items=items, scheme=scheme, without_services=without_services)
