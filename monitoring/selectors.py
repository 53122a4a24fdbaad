"""Reads for the inspectors' dashboard: who sees what, the per-unit table, trends, drill-down.

Every number on the dashboard comes from drill_down() rows or is counted the same way, so a
number and the list behind it always agree.
"""

from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from columns.admin_links import change_url, changelist_url
from columns.models import Site, Unit
from columns.selectors import sees_everything, unit_of
from interaction import workflow as mailbox_workflow
from interaction.models import Message
from publishing.models import Article, ArticleStatus

from .models import (
    AvailabilityProbe,
    BrokenLink,
    ColumnFreshness,
    FreshnessSnapshot,
    FreshnessState,
    LinkCheckRun,
    PageVisitDay,
)

#: Drill-down kinds: each is a number in the per-unit table.
DRILL_KINDS = {
    "stale": _("Columns not updated"),
    "warning": _("Columns due soon"),
    "blank": _("Blank columns"),
    "broken": _("Unusable links"),
    "overdue": _("Overdue messages"),
    "published": _("Published this month"),
}


def may_open_dashboard(user):
    """Inspectors and the operator see every unit; any other staff member with a unit sees
    that unit only."""
    if not (user.is_active and user.is_staff):
        return False
    return sees_everything(user) or unit_of(user) is not None


def unit_scope(user):
    """None when the user sees every unit, else the one unit they may see."""
    return None if sees_everything(user) else unit_of(user)


def open_sites():
    return Site.objects.filter(status=Site.Status.OPEN).order_by("pk")


def latest_crawls(sites):
    """{site pk: its latest finished link check} for sites, in one query."""
    latest = (
        LinkCheckRun.objects.filter(site=OuterRef("site"), finished_at__isnull=False)
        .order_by("-started_at", "-pk")
        .values("pk")[:1]
    )
    runs = LinkCheckRun.objects.filter(site__in=sites, pk=Subquery(latest))
    return {run.site_id: run for run in runs}


def _month_start(now):
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _latest_runs(sites):
    return [run.pk for run in latest_crawls(sites).values()]


def drill_down(kind, *, sites, unit=None, now=None):
    """The items behind a number: rows of (item, site, column, unit, detail, admin url)."""
    now = now or timezone.now()
    if kind in ("stale", "warning", "blank"):
        rows = ColumnFreshness.objects.filter(column__site__in=sites, state=kind).select_related(
            "column", "column__site", "column__unit"
        )
        if unit is not None:
            rows = rows.filter(column__unit=unit)
        return [
            {
                "item": f.column.name,
                "site": str(f.column.site),
                "column": f.column.name,
                "unit": str(f.column.unit or ""),
                "date": f.last_published_at,
                "detail": _("rule: every %(days)s days") % {"days": f.max_gap_days},
                "url": changelist_url(ColumnFreshness, column__id__exact=f.column_id),
            }
            for f in rows
        ]
    if kind == "broken":
        rows = BrokenLink.objects.filter(run__in=_latest_runs(sites)).select_related(
            "run__site", "article", "column", "unit"
        )
        if unit is not None:
            rows = rows.filter(unit=unit)
        return [
            {
                "item": link.url,
                "site": str(link.run.site),
                "column": str(link.column or (_("homepage") if link.on_homepage else "")),
                "unit": str(link.unit or ""),
                "date": link.run.started_at,
                "detail": f"{link.problem} · {link.article or link.page_url}",
                "url": change_url(link),
            }
            for link in rows
        ]
    if kind == "overdue":
        rows = _overdue(sites, unit, now).select_related("site", "unit")
        return [
            {
                "item": f"{message.tracking_code} {message.subject}",
                "site": str(message.site),
                "column": "",
                "unit": str(message.unit or ""),
                "date": message.due_at,
                "detail": message.get_status_display(),
                "url": change_url(message),
            }
            for message in rows.order_by("due_at")
        ]
    if kind == "published":
        rows = _published(sites, unit, now).select_related("column", "column__site", "unit")
        return [
            {
                "item": article.title,
                "site": str(article.column.site),
                "column": article.column.name,
                "unit": str(article.unit),
                "date": article.published_at,
                "detail": article.get_kind_display(),
                "url": change_url(article),
            }
            for article in rows.order_by("-published_at")
        ]
    raise ValueError(kind)


def _published(sites, unit, now):
    rows = Article.objects.filter(
        column__site__in=sites,
        status=ArticleStatus.PUBLISHED,
        published_at__gte=_month_start(now),
        published_at__lte=now,
    )
    return rows.filter(unit=unit) if unit is not None else rows


def _overdue(sites, unit, now):
    """留言超期: open messages past their due time (the mailbox's own definition of open)."""
    rows = Message.objects.filter(
        site__in=sites, status__in=mailbox_workflow.OPEN_STATES, due_at__lt=now
    )
    return rows.filter(unit=unit) if unit is not None else rows


def unit_table(*, sites, unit=None, now=None):
    """One row per unit: the counts drill_down() lists, in six queries."""
    now = now or timezone.now()
    units = Unit.objects.order_by("pk")
    if unit is not None:
        units = units.filter(pk=unit.pk)
    rows = {u.pk: {"unit": u, **{k: 0 for k in DRILL_KINDS}} for u in units}
    states = (
        ColumnFreshness.objects.filter(column__site__in=sites, column__unit__in=rows)
        .values("column__unit", "state")
        .annotate(n=Count("pk"))
    )
    for row in states:
        if row["state"] in rows[row["column__unit"]]:
            rows[row["column__unit"]][row["state"]] = row["n"]
    for row in (
        BrokenLink.objects.filter(run__in=_latest_runs(sites), unit__in=rows)
        .values("unit")
        .annotate(n=Count("pk"))
    ):
        rows[row["unit"]]["broken"] = row["n"]
    for kind, queryset in (
        ("overdue", _overdue(sites, unit, now)),
        ("published", _published(sites, unit, now)),
    ):
        for row in queryset.values("unit").annotate(n=Count("pk")):
            if row["unit"] in rows:
                rows[row["unit"]][kind] = row["n"]
    return list(rows.values())


def freshness_trend(*, sites, unit=None, days=56, now=None):
    """[(day, ok, warning, stale, blank)] summed over sites (or one unit), oldest first."""
    now = now or timezone.now()
    start = timezone.localtime(now).date() - timedelta(days=days)
    snaps = FreshnessSnapshot.objects.filter(site__in=sites, taken_on__gte=start)
    snaps = snaps.filter(unit=unit) if unit is not None else snaps.filter(unit__isnull=True)
    return list(
        snaps.values("taken_on")
        .annotate(ok=Sum("ok"), warning=Sum("warning"), stale=Sum("stale"), blank=Sum("blank"))
        .order_by("taken_on")
        .values_list("taken_on", "ok", "warning", "stale", "blank")
    )


def broken_link_trend(*, sites, unit=None, days=56, now=None):
    """[(day, on homepage, elsewhere)] from the last crawl of each day."""
    now = now or timezone.now()
    runs = LinkCheckRun.objects.filter(
        site__in=sites, finished_at__isnull=False, started_at__gte=now - timedelta(days=days)
    ).order_by("started_at")
    by_day = {}
    for run in runs:
        links = run.broken_links.all()
        if unit is not None:
            links = links.filter(unit=unit)
        home = (
            links.filter(on_homepage=True).count() if unit is not None else run.broken_on_homepage
        )
        other = (
            links.filter(on_homepage=False).count() if unit is not None else run.broken_elsewhere
        )
        day = timezone.localtime(run.started_at).date()
        by_day.setdefault(day, {})[run.site_id] = (home, other)
    return [
        (day, sum(h for h, _o in per_site.values()), sum(o for _h, o in per_site.values()))
        for day, per_site in sorted(by_day.items())
    ]


def uptime_trend(*, sites, days=30, now=None):
    """[(day, share of probes that loaded)] over every site, oldest first."""
    now = now or timezone.now()
    rows = (
        AvailabilityProbe.objects.filter(site__in=sites, probed_at__gte=now - timedelta(days=days))
        .annotate(day=TruncDate("probed_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(total=Count("pk"), loaded=Count("pk", filter=Q(ok=True)))
        .order_by("day")
    )
    return [(r["day"], round(100 * r["loaded"] / r["total"], 2)) for r in rows]


def visit_trend(*, sites, unit=None, days=30, now=None):
    """[(day, visits)] of public pages, oldest first (a unit: its columns' pages)."""
    now = now or timezone.now()
    rows = PageVisitDay.objects.filter(
        site__in=sites, day__gte=timezone.localtime(now).date() - timedelta(days=days)
    )
    if unit is not None:
        rows = rows.filter(column__unit=unit)
    return list(
        rows.values("day").annotate(n=Sum("visits")).order_by("day").values_list("day", "n")
    )


def publishing_trend(*, sites, unit=None, months=12, now=None):
    """[(month, items published)] over the last months, oldest first."""
    now = now or timezone.now()
    start = (_month_start(now) - timedelta(days=31 * (months - 1))).replace(day=1)
    rows = Article.objects.filter(
        column__site__in=sites,
        status=ArticleStatus.PUBLISHED,
        published_at__gte=start,
        published_at__lte=now,
    )
    if unit is not None:
        rows = rows.filter(unit=unit)
    return list(
        rows.annotate(month=TruncMonth("published_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
        .values_list("month", "n")
    )


def unit_freshness_alerts(user):
    """即将超期/已超期栏目 — the columns of the user's unit due soon, not updated or blank."""
    unit = unit_of(user)
    if unit is None:
        return ColumnFreshness.objects.none()
    return (
        ColumnFreshness.objects.filter(column__unit=unit)
        .exclude(state=FreshnessState.OK)
        .select_related("column", "column__site")
        .order_by("since")
    )
