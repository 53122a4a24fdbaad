"""国家检查指标 — the national inspection indicators (国办秘函〔2019〕19号) computed for sites,
each with the evidence behind it: every site at once, in as many queries for 2 sites as for
2,000 (the dashboard over the province's sites).

INDICATORS declares every item: its code, name, kind (单项否决 veto or 扣分 deduction) and the
function that collects its evidence. Its thresholds and points are data (IndicatorRule, and
the ScoringScheme of the 扣分 part), read at every assessment. A site fails (不合格) when a
veto item is triggered or its score falls under the scheme's pass mark. With a unit,
evidence is cut down to that unit's items (what a unit's staff see); the verdict is the
site's.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from columns.admin_links import change_url, changelist_url
from columns.models import Column, ColumnCategory
from interaction import workflow as mailbox_workflow
from interaction.models import Message, MessageKind
from publishing.models import Article, ArticleStatus, PublishedFinding, ServiceItem
from publishing.selectors import (
    current_headlines,
    homepage_section_columns,
    newest_public_items,
)

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
from .selectors import latest_crawls

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
    #: (sites, thresholds, now) -> {site pk: Outcome}, in queries as many for 2 sites as for
    #: 2,000 (the dashboard shows every site); thresholds from IndicatorRule.
    collect: object


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


def _states(sites):
    return ColumnFreshness.objects.filter(column__site__in=sites).select_related(
        "column", "column__unit", "column__site"
    )


def _by_site(rows, site_of=lambda row: row.site_id):
    """{site id: [rows]} in the rows' order."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[site_of(row)].append(row)
    return grouped


def _states_by_site(states):
    return _by_site(states, lambda state: state.column.site_id)


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


def site_unreachable(sites, t, now):
    start = now - timedelta(days=t["days"])
    slow = Q(ok=False) | Q(response_ms__gt=t["load_within_seconds"] * 1000)
    counts = {
        row["site"]: row
        for row in AvailabilityProbe.objects.filter(site__in=sites, probed_at__gte=start)
        .order_by()
        .values("site")
        .annotate(total=Count("pk"), failed=Count("pk", filter=slow))
    }
    latest_first = Window(RowNumber(), partition_by=F("site_id"), order_by=F("started_at").desc())
    outages = _by_site(
        Outage.objects.filter(site__in=sites)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
        .annotate(rank=latest_first)
        .filter(rank__lte=50)
        .order_by("-started_at")
    )
    outcomes = {}
    for site in sites:
        total = counts.get(site.pk, {}).get("total", 0)
        failed = counts.get(site.pk, {}).get("failed", 0)
        share = failed / total if total else 0
        outcomes[site.pk] = Outcome(
            triggered=total > 0 and share >= t["failure_share"],
            insufficient=total < t["days"] * t["probes_per_day"],
            summary=_("%(failed)s of %(total)s probes failed (%(share).1f%%) in %(days)s days")
            % {"failed": failed, "total": total, "share": share * 100, "days": t["days"]},
            evidence=[
                Evidence(
                    label=timezone.localtime(outage.started_at).strftime("%Y-%m-%d %H:%M"),
                    detail=outage.first_error,
                    url=change_url(outage),
                )
                for outage in outages[site.pk]
            ],
        )
    return outcomes


def _homepage_columns(columns):
    """The columns whose items the homepage shows (homepage_section_columns) — or, when it
    lists no items (a navigation page only), its top-level columns: each second-level page."""
    return homepage_section_columns(columns) or [c for c in columns if c.parent_id is None]


def homepage_stale(sites, t, now):
    """网站不更新: nothing new in t["days"] among what the homepage shows (its sections and its
    headline, the very selection it renders: a section lists its newest items first; its
    second-level pages when it is only a navigation page)."""
    columns = _by_site(
        Column.objects.filter(site__in=sites)
        .select_related("site", "unit")
        .order_by("site_id", "tree_id", "lft")
    )
    shown = {site.pk: _homepage_columns(columns[site.pk]) for site in sites}
    newest = newest_public_items(
        [c for listed in shown.values() for c in listed],
        [c for site in sites for c in columns[site.pk]],
    )
    headlines = current_headlines(sites)
    outcomes = {}
    for site in sites:
        headline = headlines.get(site.pk)
        times = [newest[c.pk] for c in shown[site.pk] if newest[c.pk]]
        if headline and headline.published_at and headline.published_at <= now:
            times.append(headline.published_at)
        last = max(times, default=None)
        evidence = [
            Evidence(
                label=f"{column.site} / {column.name}",
                detail=_("last item %(day)s") % {"day": _day(newest[column.pk])}
                if newest[column.pk]
                else _("no item with a publication time: counts as not updated"),
                unit=str(column.unit or ""),
                unit_id=column.unit_id,
                url=changelist_url(ColumnFreshness, column__id__exact=column.pk),
            )
            for column in shown[site.pk]
        ]
        outcomes[site.pk] = Outcome(
            triggered=last is None or now - last > timedelta(days=t["days"]),
            summary=_("last new item on the homepage %(days)s days ago")
            % {"days": (now - last).days}
            if last
            else _("the homepage shows no item with a publication time"),
            evidence=evidence,
        )
    return outcomes


def _day(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def columns_stale(sites, t, now):
    states = _states_by_site(
        _states(sites).filter(state__in=[FreshnessState.STALE, FreshnessState.BLANK])
    )
    outcomes = {}
    for site in sites:
        stale = [f for f in states[site.pk] if f.state == FreshnessState.STALE]
        blank = [f for f in states[site.pk] if f.state == FreshnessState.BLANK]
        key = [
            f
            for f in stale
            if f.column.category == ColumnCategory.NEWS
            or (
                f.column.category in (ColumnCategory.NOTICE, ColumnCategory.POLICY)
                and f.column.level <= t["policy_column_max_level"]
            )
        ]
        outcomes[site.pk] = Outcome(
            triggered=len(key) >= t["key_columns"]
            or len(stale) >= t["any_columns"]
            or len(blank) >= t["blank"],
            summary=_(
                "%(key)s news or first-level notice/policy columns not updated, %(stale)s "
                "columns not updated in all, %(blank)s blank columns"
            )
            % {"key": len(key), "stale": len(stale), "blank": len(blank)},
            evidence=[_column_evidence(f) for f in states[site.pk]],
        )
    return outcomes


def _article_evidence(article, detail):
    return Evidence(
        label=str(article),
        detail=detail,
        unit=str(article.unit),
        unit_id=article.unit_id,
        url=change_url(article),
    )


def serious_errors(sites, t, now):
    """Secret markers and serious wording errors in published items (the one content checker's,
    stored per item: PublishedFinding), and forged publish dates: a publish time earlier than
    the approval that allowed it."""
    evidence = defaultdict(list)
    # The findings stored when each item was published (and again when the check lists
    # changed): as many rows as errors, however many items are online. In the items' own
    # order, each item's findings in the order of its text.
    findings = (
        PublishedFinding.objects.filter(
            article__column__site__in=sites,
            article__status=ArticleStatus.PUBLISHED,
            article__published_at__gte=now - timedelta(days=t["scan_days"]),
        )
        .select_related("article__unit", "article__column")
        .order_by("-article__published_at", "-article__created_at", "article", "position")
    )
    for finding in findings:
        evidence[finding.article.column.site_id].append(
            _article_evidence(finding.article, str(finding))
        )
    forged = Article.objects.filter(
        column__site__in=sites,
        status=ArticleStatus.PUBLISHED,
        approved_at__isnull=False,
        published_at__lt=F("approved_at") - timedelta(hours=t["backdate_tolerance_hours"]),
    ).select_related("unit", "column")
    for article in forged:
        evidence[article.column.site_id].append(
            _article_evidence(
                article,
                _("publish time %(published)s is before its approval %(approved)s")
                % {
                    "published": timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
                    "approved": timezone.localtime(article.approved_at).strftime("%Y-%m-%d"),
                },
            )
        )
    return {
        site.pk: Outcome(
            triggered=bool(evidence[site.pk]),
            summary=_("%(count)s serious errors") % {"count": len(evidence[site.pk])},
            evidence=evidence[site.pk],
        )
        for site in sites
    }


def _message_evidence(message, detail):
    return Evidence(
        label=f"{message.tracking_code} {message.subject}",
        detail=detail,
        unit=str(message.unit or ""),
        unit_id=message.unit_id,
        url=change_url(message),
    )


def _with_interaction_column(sites):
    """The ids of sites and of their portals that have an interaction column."""
    ids = {s.pk for s in sites} | {s.parent_id for s in sites if s.parent_id}
    return set(
        Column.objects.filter(site__in=ids, category=ColumnCategory.INTERACTION)
        .order_by()
        .values_list("site_id", flat=True)
        .distinct()
    )


def _has_mailbox(site, with_interaction_column, *, own=False):
    """A consultation channel: an interaction column on the site (a sub-site may rely on its
    portal's unified mailbox unless own)."""
    return site.pk in with_interaction_column or (
        not own and site.parent_id in with_interaction_column
    )


def poor_interaction(sites, t, now):
    """互动回应差: no working consultation channel, or a consultation of the past year left
    unanswered past its 3-month cap (Message.cap_at, receipt + 3 calendar months, the same
    limit the mailbox holds replies to): answered after it, or still open at it."""
    late = _by_site(
        Message.objects.filter(
            site__in=sites,
            kind=MessageKind.CONSULTATION,
            received_at__gte=now - timedelta(days=t["window_days"]),
        )
        .filter(
            Q(answered_at__isnull=True, status__in=mailbox_workflow.OPEN_STATES, cap_at__lt=now)
            | Q(answered_at__gt=F("cap_at"))
        )
        .select_related("unit")
    )
    with_channel = _with_interaction_column(sites)
    outcomes = {}
    for site in sites:
        evidence = [
            _message_evidence(
                m,
                _("received %(day)s, not answered within 3 months")
                % {"day": timezone.localtime(m.received_at).strftime("%Y-%m-%d")},
            )
            for m in late[site.pk]
        ]
        channel = _has_mailbox(site, with_channel)
        outcomes[site.pk] = Outcome(
            triggered=not channel or bool(evidence),
            summary=(
                _("%(count)s consultations left unanswered over 3 months")
                % {"count": len(evidence)}
                if channel
                else _("no consultation channel")
            ),
            evidence=evidence,
        )
    return outcomes


#: 办事指南要素: what every published service guide must state (SPEC §6).
GUIDE_ELEMENTS = ("legal_basis", "conditions", "procedure", "time_limit", "office", "contact")


def services_unusable(sites, t, now):
    """服务不实用: no service entry (no published service item on the site or its portal), or
    published guides missing key elements (the fields above, or the list of materials)."""
    ids = {s.pk for s in sites} | {s.parent_id for s in sites if s.parent_id}
    items = list(
        ServiceItem.objects.filter(site__in=ids, is_published=True)
        .select_related("unit")
        .annotate(material_count=Count("materials"))
    )
    order = {item.pk: n for n, item in enumerate(items)}
    by_site = _by_site(items)
    outcomes = {}
    for site in sites:
        offered = sorted(
            by_site[site.pk] + (by_site[site.parent_id] if site.parent_id else []),
            key=lambda item: order[item.pk],
        )
        evidence = []
        for item in offered:
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
        outcomes[site.pk] = Outcome(
            triggered=not offered or len(evidence) >= t["incomplete_guides"],
            summary=_("%(items)s service items, %(incomplete)s guides missing key elements")
            % {"items": len(offered), "incomplete": len(evidence)}
            if offered
            else _("no service entry"),
            evidence=evidence,
        )
    return outcomes


# --- deduction items -------------------------------------------------------------------------


def _links(sites, t, now, *, on_homepage):
    runs = latest_crawls(sites)
    site_of_run = {run.pk: site_id for site_id, run in runs.items()}
    links = _by_site(
        BrokenLink.objects.filter(run__in=runs.values(), on_homepage=on_homepage).select_related(
            "article", "column", "unit"
        ),
        lambda link: site_of_run[link.run_id],
    )
    outcomes = {}
    for site in sites:
        run = runs.get(site.pk)
        if run is None:
            outcomes[site.pk] = Outcome(insufficient=True, summary=_("no link check yet"))
            continue
        found = links[site.pk]
        outcomes[site.pk] = Outcome(
            deducted=len(found) * t["points_each"],
            summary=_("%(count)s unusable links (check of %(when)s)")
            % {
                "count": len(found),
                "when": timezone.localtime(run.started_at).strftime("%Y-%m-%d"),
            },
            evidence=[_link_evidence(link) for link in found],
        )
    return outcomes


def homepage_links(sites, t, now):
    return _links(sites, t, now, on_homepage=True)


def other_links(sites, t, now):
    return _links(sites, t, now, on_homepage=False)


def policy_columns_stale(sites, t, now):
    states = _states_by_site(
        _states(sites).filter(
            state=FreshnessState.STALE,
            column__category__in=[ColumnCategory.NOTICE, ColumnCategory.POLICY],
        )
    )
    outcomes = {}
    for site in sites:
        stale = [f for f in states[site.pk] if f.column.level > t["first_level"]]
        outcomes[site.pk] = Outcome(
            deducted=len(stale) * t["points_each"],
            summary=_("%(count)s notice or policy columns not updated in 6 months")
            % {"count": len(stale)},
            evidence=[_column_evidence(f) for f in stale],
        )
    return outcomes


def service_stale(sites, t, now):
    cutoff = now - timedelta(days=t["days"])
    states = _states_by_site(_states(sites).filter(column__category=ColumnCategory.SERVICE))
    outcomes = {}
    for site in sites:
        stale = [
            f
            for f in states[site.pk]
            if f.last_published_at is None or f.last_published_at < cutoff
        ]
        outcomes[site.pk] = Outcome(
            deducted=t["points"] if stale else 0,
            summary=_("%(count)s service columns not updated in %(days)s days")
            % {"count": len(stale), "days": t["days"]},
            evidence=[_column_evidence(f) for f in stale],
        )
    return outcomes


def blank_columns(sites, t, now):
    states = _states_by_site(_states(sites).filter(state=FreshnessState.BLANK))
    return {
        site.pk: Outcome(
            deducted=len(states[site.pk]) * t["points_each"],
            summary=_("%(count)s blank columns") % {"count": len(states[site.pk])},
            evidence=[_column_evidence(f) for f in states[site.pk]],
        )
        for site in sites
    }


def search_missing(sites, t, now):
    runs = latest_crawls(sites)
    outcomes = {}
    for site in sites:
        run = runs.get(site.pk)
        if run is None or run.homepage_has_search is None:
            outcomes[site.pk] = Outcome(insufficient=True, summary=_("no link check yet"))
            continue
        outcomes[site.pk] = Outcome(
            deducted=0 if run.homepage_has_search else t["points"],
            summary=_("search box on the homepage")
            if run.homepage_has_search
            else _("no search box on the homepage"),
        )
    return outcomes


def footer_missing(sites, t, now):
    runs = latest_crawls(sites)
    outcomes = {}
    for site in sites:
        run = runs.get(site.pk)
        if run is None:
            outcomes[site.pk] = Outcome(insufficient=True, summary=_("no link check yet"))
            continue
        missing = run.footer_missing or []
        outcomes[site.pk] = Outcome(
            deducted=len(missing) * t["points_each"],
            summary=_("footer items missing: %(items)s") % {"items": "、".join(missing) or "—"},
            evidence=[Evidence(label=item) for item in missing],
        )
    return outcomes


def reply_list_stale(sites, t, now):
    """答复列表: the site's public list of answered messages not updated in two months."""
    with_channel = _with_interaction_column(sites)
    last_replies = dict(
        Message.objects.filter(
            site__in=sites, is_public=True, status__in=mailbox_workflow.ANSWERED_STATES
        )
        .order_by()
        .values("site")
        .annotate(last=Max("answered_at"))
        .values_list("site", "last")
    )
    outcomes = {}
    for site in sites:
        if not _has_mailbox(site, with_channel, own=True):
            outcomes[site.pk] = Outcome(summary=_("no mailbox of its own"))
            continue
        last = last_replies.get(site.pk)
        stale = last is None or now - last > timedelta(days=t["days"])
        outcomes[site.pk] = Outcome(
            deducted=t["points"] if stale else 0,
            summary=_("last published reply %(day)s")
            % {"day": timezone.localtime(last).strftime("%Y-%m-%d") if last else "—"},
        )
    return outcomes


def late_replies(sites, t, now):
    """Messages of the past year answered after their deadline, or open past it."""
    late = _by_site(
        Message.objects.filter(
            site__in=sites, received_at__gte=now - timedelta(days=t["window_days"])
        )
        .filter(
            Q(answered_on_time=False) | Q(status__in=mailbox_workflow.OPEN_STATES, due_at__lt=now)
        )
        .select_related("unit")
    )
    outcomes = {}
    for site in sites:
        evidence = [
            _message_evidence(
                m,
                _("due %(day)s") % {"day": timezone.localtime(m.due_at).strftime("%Y-%m-%d")},
            )
            for m in late[site.pk]
        ]
        outcomes[site.pk] = Outcome(
            deducted=len(evidence) * t["points_each"],
            summary=_("%(count)s messages answered late or overdue") % {"count": len(evidence)},
            evidence=evidence,
        )
    return outcomes


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
    return assess_sites([site], unit=unit, now=now)[0]


def assess_sites(sites, *, unit=None, now=None):
    """assess for each of sites, in order: a fixed number of queries however many sites."""
    sites = list(sites)
    now = now or timezone.now()
    scheme = ScoringScheme.objects.get()
    without_services = set(
        scheme.sites_without_services.filter(pk__in=[s.pk for s in sites]).values_list(
            "pk", flat=True
        )
    )
    rules = {rule.code: rule for rule in IndicatorRule.objects.all()}
    items = {site.pk: [] for site in sites}
    for indicator in INDICATORS:
        rule = rules[indicator.code]
        # 不检查: no service items for a department without service functions.
        checked = [s for s in sites if not (rule.concerns_services and s.pk in without_services)]
        thresholds = {**rule.thresholds, "points": _points(rule.points)}
        outcomes = indicator.collect(checked, thresholds, now) if checked else {}
        for site in checked:
            outcome = outcomes[site.pk]
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
            items[site.pk].append(ItemResult(indicator, outcome, rule))
    return [
        Assessment(
            site=site,
            items=items[site.pk],
            scheme=scheme,
            without_services=site.pk in without_services,
        )
        for site in sites
    ]
