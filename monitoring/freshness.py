"""栏目更新检查 — every column of a site measured against its update rule (SPEC §2, §5).

A check reads a site in a fixed number of queries whatever its number of columns: the rules,
the columns, and one aggregate of the last publish time and update counts per column. The
verdicts are stored (ColumnFreshness: the current state, FreshnessSnapshot: one row per site,
unit and day for trends) and the owning unit is alerted when a column turns worse.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import changelist_url
from columns.models import Column, ColumnCategory, Site
from columns.notifications import notify
from columns.selectors import liaisons_of, update_rules
from interaction.working_days import WorkingCalendar
from publishing.models import Article, ArticleStatus

from .models import ColumnFreshness, FreshnessSnapshot, FreshnessState

#: A column is "due soon" once this share of its longest gap has passed.
WARNING_SHARE = 0.8
#: 首页更新: the homepage with no new content for two weeks is a veto item (国办秘函〔2019〕19号).
HOMEPAGE_MAX_GAP = timedelta(days=14)
#: Worse states alert the owning unit; getting better does not.
ALERTED_STATES = (FreshnessState.WARNING, FreshnessState.STALE, FreshnessState.BLANK)


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


def measure(site, *, at=None):
    """The freshness of every column of site at instant at (now by default); reads only.

    Three queries whatever the number of columns: the rules, the columns with their newest
    item, and the update counts of this and last week and month. A column with sub-columns
    is judged on everything published in its branch, as its page lists it.
    """
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    week, last_week, month, last_month = _calendar_bounds(at)
    rules = update_rules()
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED, published_at__lte=at)
    # The newest item per column walks the (column, status, -published_at) index: one probe
    # per column instead of reading every article the site ever published.
    newest = (
        published.filter(column=OuterRef("pk")).order_by("-published_at").values("published_at")[:1]
    )
    columns = list(
        Column.objects.filter(site=site)
        .select_related("unit")
        .annotate(newest=Subquery(newest))
        .order_by("tree_id", "lft")
    )
    # Update counts need only the items since the start of last month.
    stats = {
        row["column_id"]: row
        for row in published.filter(column__site=site, published_at__gte=min(last_week, last_month))
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
    # Children come after their parent in tree order: walking backwards rolls each branch up.
    for column in reversed(columns):
        parent = branch.get(column.parent_id)
        if parent is None:
            continue
        mine = branch[column.pk]
        if mine["last"] and (parent["last"] is None or mine["last"] > parent["last"]):
            parent["last"] = mine["last"]
        for key in ("week", "month", "last_week", "last_month"):
            parent[key] += mine[key]

    result = SiteFreshness(site=site, at=at)
    calendar = None
    for column in columns:
        if not _judged(column, today):
            continue
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

    homepage = [r.last_published_at for r in result.columns if r.column.on_homepage]
    homepage = [last for last in homepage if last]
    result.homepage_last_update = max(homepage) if homepage else None
    result.homepage_state = _state(
        (at - result.homepage_last_update) / HOMEPAGE_MAX_GAP if homepage else 0,
        result.homepage_last_update,
    )
    totals = result.counts()
    result.updates_week, result.updates_month = totals["updates_week"], totals["updates_month"]
    return result


@transaction.atomic
def record_snapshot(result):
    """Store the day's figures of the site and of each unit (overwriting the day's rows)."""
    day = timezone.localtime(result.at).date()
    unit_ids = sorted({r.column.unit_id for r in result.columns if r.column.unit_id})
    existing = {
        snap.unit_id: snap
        for snap in FreshnessSnapshot.objects.filter(site=result.site, taken_on=day)
    }
    to_create, to_update = [], []
    for unit_id in [None, *unit_ids]:
        figures = result.counts(unit_id)
        snap = existing.get(unit_id) or FreshnessSnapshot(
            site=result.site, unit_id=unit_id, taken_on=day
        )
        snap.taken_at = result.at
        for key, value in figures.items():
            setattr(snap, key, value)
        if unit_id is None:
            snap.homepage_last_update = result.homepage_last_update
            snap.homepage_state = result.homepage_state
        (to_update if snap.pk else to_create).append(snap)
    FreshnessSnapshot.objects.bulk_create(to_create)
    if to_update:
        FreshnessSnapshot.objects.bulk_update(
            to_update, [*SNAPSHOT_FIGURES, "taken_at", "homepage_last_update", "homepage_state"]
        )


SNAPSHOT_FIGURES = (
    "columns",
    "ok",
    "warning",
    "stale",
    "blank",
    "updates_week",
    "updates_month",
)
STATE_FIELDS = (
    "state",
    "since",
    "last_published_at",
    "max_gap_days",
    "updates_week",
    "updates_month",
    "below_minimum",
)


@transaction.atomic
def record_states(result):
    """Keep each column's current state; alert its unit once when it turns worse.

    Rows are written only where something changed, so a quiet hour writes nothing. The alert's
    key is the column, the state and when it entered it: a second run finds it sent.
    """
    existing = {f.column_id: f for f in ColumnFreshness.objects.filter(column__site=result.site)}
    to_create, to_update, turned = [], [], []
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
            to_update.append(stored)
        if stored.pk is None or stored.state != row.state:
            stored.since = result.at
            if row.state in ALERTED_STATES:
                turned.append(stored)
        stored.checked_at = result.at
        for key, value in values.items():
            setattr(stored, key, value)
    ColumnFreshness.objects.bulk_create(to_create)
    if to_update:
        # Batches keep each CASE statement short: one over thousands of rows is quadratic.
        ColumnFreshness.objects.bulk_update(
            to_update, [*STATE_FIELDS, "checked_at"], batch_size=500
        )
    if existing:
        # Columns no longer judged (a topic that ended, a column moved to the mailbox).
        ColumnFreshness.objects.filter(pk__in=[f.pk for f in existing.values()]).delete()
    _alert(turned)
    return turned


def _alert(turned):
    recipients = {}
    for freshness in turned:
        column = freshness.column
        if column.unit_id not in recipients:
            recipients[column.unit_id] = list(liaisons_of(column.unit))
        titles = {
            FreshnessState.WARNING: _("Column due for an update: %(column)s"),
            FreshnessState.STALE: _("Column not updated in time: %(column)s"),
            FreshnessState.BLANK: _("Blank column: %(column)s"),
        }
        last = (
            timezone.localtime(freshness.last_published_at).strftime("%Y-%m-%d")
            if freshness.last_published_at
            else _("never")
        )
        notify(
            recipients[column.unit_id],
            kind="column_freshness",
            title=titles[freshness.state] % {"column": column},
            body=_(
                "Site: %(site)s. Last update: %(last)s. The column must be updated at least "
                "every %(days)s days."
            )
            % {"site": column.site, "last": last, "days": freshness.max_gap_days},
            url=changelist_url(ColumnFreshness, column__id__exact=column.pk),
            key=f"freshness:{column.pk}:{freshness.state}:{freshness.since.isoformat()}",
        )


def check_site(site, *, at=None):
    """栏目更新检查 of one site: measure, store the day's snapshot and the states, alert."""
    result = measure(site, at=at)
    record_snapshot(result)
    record_states(result)
    return result


def check_all(*, at=None):
    """The hourly check of every open site."""
    return [check_site(site, at=at) for site in Site.objects.filter(status=Site.Status.OPEN)]
