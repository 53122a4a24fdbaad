"""栏目更新检查 — every column of every site measured against its update rule (SPEC §2, §5).

The check reads and writes many sites at once in a fixed number of queries: the rules, the
columns of all the sites with their newest item and one aggregate of the update counts per
column; the day's snapshots (one row per site, unit and day, for trends) replaced by one
delete and one insert; one read of the columns' current states (ColumnFreshness), the
changed and new ones written by one delete and one insert; one read of the liaisons of every
unit whose column turned worse, and one insert of their alerts. Sites go in batches of
SITES_PER_BATCH, so the count is fixed per batch and no query reads more than a batch's rows.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import changelist_url
from columns.models import Column, ColumnCategory, Site
from columns.notifications import Notice, notify_all
from columns.selectors import liaisons_by_unit, update_rules
from interaction.working_days import WorkingCalendar
from publishing.models import Article, ArticleStatus

from .models import ColumnFreshness, FreshnessSnapshot, FreshnessState

#: A column is "due soon" once this share of its longest gap has passed.
WARNING_SHARE = 0.8
#: 首页更新: the homepage with no new content for two weeks is a veto item (国办秘函〔2019〕19号).
HOMEPAGE_MAX_GAP = timedelta(days=14)
#: Worse states alert the owning unit; getting better does not.
ALERTED_STATES = (FreshnessState.WARNING, FreshnessState.STALE, FreshnessState.BLANK)
#: Sites checked together: their queries are fixed, their columns held in memory at once.
SITES_PER_BATCH = 500


@dataclass
class ColumnResult:
    """One column's verdict at an instant; counts include its sub-columns' items."""

    column: Column
    state: str
    last_published_at: datetime | None
    max_gap: timedelta
    updates_week: int = 0
    updates_month: int = 0
    below_minimum: bool = False
    #: The column's own items only, so that site and unit totals count each item once.
    own_week: int = 0
    own_month: int = 0


@dataclass
class SiteFreshness:
    """A site's freshness at an instant: every judged column and the homepage's rhythm."""

    site: Site
    at: datetime
    columns: list[ColumnResult] = field(default_factory=list)
    homepage_last_update: datetime | None = None
    homepage_state: str = FreshnessState.BLANK
    updates_week: int = 0
    updates_month: int = 0

    def counts(self, unit_id=None):
        rows = [r for r in self.columns if unit_id is None or r.column.unit_id == unit_id]
        counts = {state: 0 for state in FreshnessState.values}
        for row in rows:
            counts[row.state] += 1
        return {
            "columns": len(rows),
            **counts,
            "updates_week": sum(r.own_week for r in rows),
            "updates_month": sum(r.own_month for r in rows),
        }


def _calendar_bounds(at):
    """Starts of this and last calendar week (Monday) and month, in local time."""
    local = timezone.localtime(at)
    midnight = timezone.make_aware(datetime.combine(local.date(), time.min))
    week = midnight - timedelta(days=local.weekday())
    month = midnight.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    return week, week - timedelta(days=7), month, last_month


def _judged(column, today):
    """Mailbox columns are fed by interaction, not articles; a special topic is judged only
    while it runs."""
    if column.category == ColumnCategory.INTERACTION:
        return False
    if column.is_special_topic:
        if column.topic_starts_on and column.topic_starts_on > today:
            return False
        if column.topic_ends_on and column.topic_ends_on < today:
            return False
    return True


def _state(elapsed_share, last):
    if last is None:
        return FreshnessState.BLANK
    if elapsed_share > 1:
        return FreshnessState.STALE
    if elapsed_share > WARNING_SHARE:
        return FreshnessState.WARNING
    return FreshnessState.OK


def measure(sites, *, at=None):
    """The freshness of every column of each site at instant at (now by default); reads only.

    Returns one SiteFreshness per site, in the order given. Three queries whatever the number
    of sites and columns: the rules, the columns with their newest item, and the update counts
    of this and last week and month. A column with sub-columns is judged on everything
    published in its branch, as its page lists it.
    """
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    week, last_week, month, last_month = _calendar_bounds(at)
    rules = update_rules()
    results = {site.pk: SiteFreshness(site=site, at=at) for site in sites}
    site_ids = list(results)
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED, published_at__lte=at)
    # The newest item per column walks the (column, status, -published_at) index: one probe
    # per column instead of reading every article the sites ever published.
    newest = (
        published.filter(column=OuterRef("pk")).order_by("-published_at").values("published_at")[:1]
    )
    columns = list(
        Column.objects.filter(site__in=site_ids)
        .select_related("unit")
        .annotate(newest=Subquery(newest))
        .order_by("tree_id", "lft")
    )
    # Update counts need only the items since the start of last month.
    stats = {
        row["column_id"]: row
        for row in published.filter(
            column__site__in=site_ids, published_at__gte=min(last_week, last_month)
        )
        .order_by()
        .values("column_id")
        .annotate(
            week=Count("pk", filter=Q(published_at__gte=week)),
            month=Count("pk", filter=Q(published_at__gte=month)),
            last_week=Count("pk", filter=Q(published_at__gte=last_week, published_at__lt=week)),
            last_month=Count("pk", filter=Q(published_at__gte=last_month, published_at__lt=month)),
        )
    }
    empty = {"week": 0, "month": 0, "last_week": 0, "last_month": 0}
    branch = {c.pk: {**stats.get(c.pk, empty), "last": c.newest} for c in columns}
    # A tree lies within one site and children come after their parent in tree order:
    # walking backwards rolls each branch up.
    for column in reversed(columns):
        parent = branch.get(column.parent_id)
        if parent is None:
            continue
        mine = branch[column.pk]
        if mine["last"] and (parent["last"] is None or mine["last"] > parent["last"]):
            parent["last"] = mine["last"]
        for key in ("week", "month", "last_week", "last_month"):
            parent[key] += mine[key]

    calendar = None
    for column in columns:
        if not _judged(column, today):
            continue
        result = results[column.site_id]
        # The alert names the site: the one already read, not a query per column.
        column.site = result.site
        figures = branch[column.pk]
        last = figures["last"]
        gap = column.effective_max_gap(rules)
        share = (at - last) / gap if last else 0
        if last and column.max_working_days_between_updates:
            calendar = calendar or WorkingCalendar.load()
            worked = calendar.working_days_between(timezone.localtime(last).date(), today)
            share = max(share, worked / column.max_working_days_between_updates)
        below = bool(
            (column.min_updates_per_week and figures["last_week"] < column.min_updates_per_week)
            or (
                column.min_updates_per_month
                and figures["last_month"] < column.min_updates_per_month
            )
        )
        state = _state(share, last)
        if below and state == FreshnessState.OK:
            state = FreshnessState.WARNING
        own = stats.get(column.pk, empty)
        result.columns.append(
            ColumnResult(
                column=column,
                state=state,
                last_published_at=last,
                max_gap=gap,
                updates_week=figures["week"],
                updates_month=figures["month"],
                below_minimum=below,
                own_week=own["week"],
                own_month=own["month"],
            )
        )

    for result in results.values():
        homepage = [r.last_published_at for r in result.columns if r.column.on_homepage]
        homepage = [last for last in homepage if last]
        result.homepage_last_update = max(homepage) if homepage else None
        result.homepage_state = _state(
            (at - result.homepage_last_update) / HOMEPAGE_MAX_GAP if homepage else 0,
            result.homepage_last_update,
        )
        totals = result.counts()
        result.updates_week, result.updates_month = totals["updates_week"], totals["updates_month"]
    return list(results.values())


@transaction.atomic
def record_snapshots(results):
    """Store the day's figures of each site and of each of its units, in place of the rows
    the day's earlier checks stored: one delete and one insert. (Updating them in bulk builds
    a CASE per row and field in Python: seconds for a batch of sites, every hour.)"""
    snapshots = []
    for result in results:
        day = timezone.localtime(result.at).date()
        unit_ids = sorted({r.column.unit_id for r in result.columns if r.column.unit_id})
        for unit_id in [None, *unit_ids]:
            snapshot = FreshnessSnapshot(
                site=result.site,
                unit_id=unit_id,
                taken_on=day,
                taken_at=result.at,
                **result.counts(unit_id),
            )
            if unit_id is None:
                snapshot.homepage_last_update = result.homepage_last_update
                snapshot.homepage_state = result.homepage_state
            snapshots.append(snapshot)
    # The results of one measure share their instant, hence their day: one delete.
    for day in {s.taken_on for s in snapshots}:
        FreshnessSnapshot.objects.filter(
            taken_on=day, site__in=[s.site_id for s in snapshots if s.taken_on == day]
        ).delete()
    FreshnessSnapshot.objects.bulk_create(snapshots)


@transaction.atomic
def record_states(results):
    """Keep each column's current state; alert its unit once when it turns worse.

    Rows are written only where something changed, so a quiet hour writes nothing. The alert's
    key is the column, the state and when it entered it: a second run finds it sent.
    """
    existing = {
        f.column_id: f
        for f in ColumnFreshness.objects.filter(column__site__in=[r.site for r in results])
    }
    to_create, to_update, turned = [], [], []
    for result in results:
        for row in result.columns:
            values = {
                "state": row.state,
                "last_published_at": row.last_published_at,
                "max_gap_days": row.max_gap.days,
                "updates_week": row.updates_week,
                "updates_month": row.updates_month,
                "below_minimum": row.below_minimum,
            }
            stored = existing.pop(row.column.pk, None)
            if stored is None:
                stored = ColumnFreshness(column=row.column, since=result.at, checked_at=result.at)
                to_create.append(stored)
            elif all(getattr(stored, k) == v for k, v in values.items()):
                continue
            else:
                # The measured column, with its unit and site: the alert reads no more.
                stored.column = row.column
                to_update.append(stored)
            if stored.pk is None or stored.state != row.state:
                stored.since = result.at
                if row.state in ALERTED_STATES:
                    turned.append(stored)
            stored.checked_at = result.at
            for key, value in values.items():
                setattr(stored, key, value)
    if to_update:
        # Changed rows are put back with their ids by one delete and one insert: a bulk
        # UPDATE builds a CASE per row and field, in batches, milliseconds of Python a row.
        ColumnFreshness.objects.filter(pk__in=[f.pk for f in to_update]).delete()
    ColumnFreshness.objects.bulk_create([*to_update, *to_create])
    if existing:
        # Columns no longer judged (a topic that ended, a column moved to the mailbox).
        ColumnFreshness.objects.filter(pk__in=[f.pk for f in existing.values()]).delete()
    _alert(turned)
    return turned


def _alert(turned):
    """Each turned column's unit liaisons, all read in one query and notified at once."""
    liaisons = liaisons_by_unit({f.column.unit_id for f in turned if f.column.unit_id})
    titles = {
        FreshnessState.WARNING: _("Column due for an update: %(column)s"),
        FreshnessState.STALE: _("Column not updated in time: %(column)s"),
        FreshnessState.BLANK: _("Blank column: %(column)s"),
    }
    notices = []
    for freshness in turned:
        column = freshness.column
        last = (
            timezone.localtime(freshness.last_published_at).strftime("%Y-%m-%d")
            if freshness.last_published_at
            else _("never")
        )
        notices.append(
            Notice(
                recipients=liaisons.get(column.unit_id, []),
                kind="column_freshness",
                title=titles[freshness.state] % {"column": column},
                body=_(
                    "Site: %(site)s. Last update: %(last)s. The column must be updated at "
                    "least every %(days)s days."
                )
                % {"site": column.site, "last": last, "days": freshness.max_gap_days},
                url=changelist_url(ColumnFreshness, column__id__exact=column.pk),
                key=f"freshness:{column.pk}:{freshness.state}:{freshness.since.isoformat()}",
            )
        )
    notify_all(notices)


def check_all(*, sites=None, at=None):
    """栏目更新检查 of the given sites (every open site by default, the hourly check) at one
    instant: measure, store the day's snapshots and the states, alert. Sites go in batches of
    SITES_PER_BATCH, each in a fixed number of queries; returns one SiteFreshness per site."""
    at = at or timezone.now()
    if sites is None:
        sites = Site.objects.filter(status=Site.Status.OPEN).order_by("pk")
    sites = list(sites)
    results = []
    for start in range(0, len(sites), SITES_PER_BATCH):
        batch = measure(sites[start : start + SITES_PER_BATCH], at=at)
        record_snapshots(batch)
        record_states(batch)
        results.extend(batch)
    return results


def check_site(site, *, at=None):
    """栏目更新检查 of one site: check_all of that site alone."""
    return check_all(sites=[site], at=at)[0]
