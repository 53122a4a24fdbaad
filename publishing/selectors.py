"""Reads of publishing: what the public sees (the column tree, articles, the 政府信息公开
catalogue, service items), what waits for a reviewer, where a submission is."""

from dataclasses import dataclass

from django.db.models import Count, F, Max, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.models import Column, ColumnCategory, Role, Unit
from columns.selectors import columns_for_user, has_role, roles_of, unit_of

from .models import Article, ArticleStatus, HeadlineDirective, ReviewRun, ServiceItem


class ColumnTree:
    """栏目树 — a site's columns read in one query: the navigation, breadcrumbs, sub-columns
    and every column's public URL (column.public_url) without a query per column."""

    def __init__(self, site):
        self.columns = list(Column.objects.filter(site=site).order_by("tree_id", "lft"))
        self.by_pk = {}
        for column in self.columns:  # tree order: a parent comes before its children
            parent = self.by_pk.get(column.parent_id)
            column.public_url = f"{parent.public_url if parent else '/columns/'}{column.slug}/"
            self.by_pk[column.pk] = column

    def roots(self):
        return sorted((c for c in self.columns if c.parent_id is None), key=lambda c: c.position)

    def ancestors(self, column, include_self=False):
        return [
            c
            for c in self.columns
            if c.tree_id == column.tree_id
            and (c.lft < column.lft < c.rght or (include_self and c.pk == column.pk))
        ]

    def children(self, column):
        return [c for c in self.columns if c.parent_id == column.pk]

    def at_path(self, path):
        """The column at /columns/<path>/, or a Chinese 404."""
        url = "/columns/" + "/".join(s for s in path.split("/") if s) + "/"
        for column in self.columns:
            if column.public_url == url:
                return column
        raise Http404(_("No column answers at this address; it may have been moved or removed."))


def published_articles(site=None):
    """The publicly visible articles: published, publish time reached, not expired.

    With a site, those whose primary column or one of whose extra columns is on that site.
    Withdrawn and expired items have other statuses, so they are never here.
    """
    now = timezone.now()
    queryset = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("column", "unit")
    )
    if site is not None:
        queryset = queryset.filter(pk__in=_shown_in(Column.objects.filter(site=site)))
    return queryset.order_by("-published_at", "-pk")


def _shown_in(columns):
    """The ids of the articles filed in columns or also shown there (extra columns), as one
    UNION subquery for pk__in: PostgreSQL reads each half through its column index, where an
    OR of the two (or an EXISTS) scans every article for every page."""
    filed = Article.objects.filter(column__in=columns).order_by().values("pk")
    also_shown = Article.extra_columns.through.objects.filter(column__in=columns)
    return filed.union(also_shown.order_by().values("article_id"))


def current_headline(site):
    """The article a headline directive has put at the top of site's homepage, or None.

    The latest executed directive wins, as long as its article is still publicly visible.
    """
    return current_headlines([site]).get(site.pk)


def current_headlines(sites):
    """{site pk: its current headline (current_headline)} for sites, in one query."""
    latest_first = Window(
        RowNumber(),
        partition_by=F("site_id"),
        order_by=[F("executed_at").desc(), F("pk").desc()],
    )
    directives = (
        HeadlineDirective.objects.filter(
            site__in=sites,
            executed_at__isnull=False,
            article__in=published_articles().values("pk"),
        )
        .annotate(rank=latest_first)
        .filter(rank=1)
        .select_related("article", "article__column", "article__unit")
    )
    return {directive.site_id: directive.article for directive in directives}


def review_inbox(user):
    """待我审核 — runs waiting at a step this user may decide, oldest first.

    Unit roles see their own unit's runs; the cross-unit 涉舆 role sees every unit's.
    A user's own submissions never appear: they may not decide them.
    """
    from .workflow import CROSS_UNIT_REVIEW_ROLES

    roles = roles_of(user)
    unit = unit_of(user)
    own_unit_roles = [r for r in roles if r not in CROSS_UNIT_REVIEW_ROLES]
    cross_roles = [r for r in roles if r in CROSS_UNIT_REVIEW_ROLES]
    waiting = Q(pk__in=[])
    if unit is not None and own_unit_roles:
        waiting |= Q(current_role__in=own_unit_roles, article__unit=unit)
    if cross_roles:
        waiting |= Q(current_role__in=cross_roles)
    return (
        ReviewRun.objects.filter(waiting, status=ReviewRun.Status.IN_PROGRESS)
        .exclude(submitted_by=user)
        .exclude(article__author=user)
        .select_related("article", "article__column", "article__unit", "submitted_by")
        .order_by("waiting_since")
    )


def submissions_of(user):
    """The author's view: their articles with the latest review run of each."""
    return (
        Article.objects.filter(author=user)
        .select_related("column", "unit")
        .prefetch_related("review_runs__decisions__decided_by")
        .order_by("-updated_at")
    )


def latest_run(article):
    return article.review_runs.order_by("-submitted_at", "-pk").first()


# --- the public pages -----------------------------------------------------------------------


def public_articles_in(column):
    """The published articles a column page lists: filed in the column or one of its
    sub-columns, or also shown there (extra columns); one query however deep the tree."""
    subtree = column.get_descendants(include_self=True)
    return published_articles().filter(pk__in=_shown_in(subtree))


def newest_public_items(columns, among):
    """{column pk: publication time of the newest item the column's page lists
    (public_articles_in), None when it lists none} for each of columns, in two queries however
    many; among holds every column of their sites, their sub-columns included."""
    by_tree = {}
    for column in among:
        by_tree.setdefault(column.tree_id, []).append(column)
    subtrees = {
        c.pk: [d.pk for d in by_tree.get(c.tree_id, []) if c.lft <= d.lft <= c.rght]
        for c in columns
    }
    ids = {pk for subtree in subtrees.values() for pk in subtree}
    visible = published_articles().order_by()
    newest = dict(
        visible.filter(column__in=ids)
        .values("column_id")
        .annotate(at=Max("published_at"))
        .values_list("column_id", "at")
    )
    also_shown = (
        Article.extra_columns.through.objects.filter(
            column__in=ids, article__in=visible.values("pk")
        )
        .values("column_id")
        .annotate(at=Max("article__published_at"))
        .values_list("column_id", "at")
    )
    for pk, at in also_shown:
        newest[pk] = max(newest.get(pk, at), at)
    return {
        pk: max((newest[d] for d in subtree if d in newest), default=None)
        for pk, subtree in subtrees.items()
    }


#: Items per homepage section.
HOMEPAGE_SECTION_SIZE = 7
#: Column categories the homepage shows as entry blocks of their own (service tiles, the
#: interaction links, special topics), never as a list of items.
HOMEPAGE_ENTRY_CATEGORIES = (
    ColumnCategory.SERVICE,
    ColumnCategory.INTERACTION,
    ColumnCategory.TOPIC,
)


def homepage_section_columns(columns):
    """首页栏目 — of a site's columns (in tree order), those the homepage lists items of: marked
    for the homepage, not an entry category, and not a navigation entry (a column with
    sub-columns of its own marked for the homepage, which are then the sections)."""
    marked_parents = {c.parent_id for c in columns if c.on_homepage}
    return [
        c
        for c in columns
        if c.on_homepage
        and c.category not in HOMEPAGE_ENTRY_CATEGORIES
        and c.pk not in marked_parents
    ]


def homepage_sections(columns):
    """The homepage's item sections: [(column, its latest public items)], one query per
    section; policy documents come with their published interpretations. The homepage
    renders this and the 首页栏目不更新 indicator reads it, so both see the same items."""
    sections = []
    for column in homepage_section_columns(columns):
        # The policy's column names its site: the link to it may cross sites.
        articles = public_articles_in(column).select_related("policy__column")
        if column.category == ColumnCategory.POLICY:
            articles = articles.prefetch_related(
                Prefetch(
                    "interpretations",
                    queryset=published_articles(),
                    to_attr="public_interpretations",
                )
            )
        sections.append((column, list(articles[:HOMEPAGE_SECTION_SIZE])))
    return sections


def public_article(site, pk):
    """One published article of site with what its page shows, or None: its policy (for an
    interpretation), its published interpretations (for a policy) and its attachments."""
    from django.db.models import Prefetch

    return (
        published_articles(site)
        .filter(pk=pk)
        .select_related("policy__column")
        .prefetch_related(
            "attachments",
            Prefetch(
                "interpretations", queryset=published_articles(), to_attr="public_interpretations"
            ),
        )
        .first()
    )


# --- the staff workbench --------------------------------------------------------------------


def unit_articles(user, status):
    """The articles of the user's unit in one status (草稿, 被退回), last changed first."""
    unit = unit_of(user)
    if unit is None:
        return Article.objects.none()
    return (
        Article.objects.filter(unit=unit, status=status)
        .select_related("column")
        .order_by("-updated_at", "-pk")
    )


def articles_with_findings_to_fix(user):
    """待修改 — the unit's articles still editable that the content check blocks, each with
    its number of blocking findings (findings_to_fix)."""
    from .workflow import EDITABLE_STATES

    unit = unit_of(user)
    if unit is None:
        return Article.objects.none()
    return (
        Article.objects.filter(unit=unit, status__in=EDITABLE_STATES)
        .annotate(
            findings_to_fix=Count("content_findings", filter=Q(content_findings__severity="block"))
        )
        .filter(findings_to_fix__gt=0)
        .order_by("-updated_at", "-pk")
    )


def previewable_articles(user):
    """预览 — the articles a staff member may see before they are public: those in the columns
    the scoping helper gives them, and those waiting for their review (the cross-unit
    涉舆 step reaches other units' articles)."""
    if not getattr(user, "is_authenticated", False) or not (user.is_active and user.is_staff):
        return Article.objects.none()
    waiting = review_inbox(user).values("article_id")
    return Article.objects.filter(
        Q(column__in=columns_for_user(user).values("pk")) | Q(pk__in=waiting)
    ).select_related("column", "column__site", "unit", "policy")


#: The unit's reviewers who may let personal data through at a review step (人工放行).
PERSONAL_DATA_READERS = (Role.SECTION_HEAD, Role.DEPUTY_LEADER, Role.PRINCIPAL_LEADER)


def may_see_personal_data(user, article):
    """个人信息 in an article's saved text: read unmasked only by the reviewers of its unit, who
    decide whether it may be published; its liaison, who was told to remove it, a later
    liaison and the platform roles see it masked."""
    return any(has_role(user, role, article.unit) for role in PERSONAL_DATA_READERS)


@dataclass(frozen=True)
class SheetStep:
    """One line of the 审核单: a step of the run, decided or not yet."""

    index: int
    name: str
    role: str
    decision: object  # the ReviewDecision, or None while the step is open
    waiting: bool  # the run waits at this step now


def review_sheet(article):
    """信息发布审核单 — every review run of the article with all its steps (pending ones
    too) and every content-check finding let through with who and why; oldest run first."""
    runs = (
        article.review_runs.select_related("submitted_by")
        .prefetch_related("decisions__decided_by", "finding_overrides__decided_by")
        .order_by("submitted_at", "pk")
    )
    sheet = []
    for run in runs:
        decided = {decision.step_index: decision for decision in run.decisions.all()}
        in_progress = run.status == ReviewRun.Status.IN_PROGRESS
        steps = [
            SheetStep(
                index=index,
                name=step["name"],
                role=Role(step["role"]).label if step["role"] in Role.values else step["role"],
                decision=decided.get(index),
                waiting=in_progress and index == run.current_index,
            )
            for index, step in enumerate(run.steps)
        ]
        overrides = sorted(run.finding_overrides.all(), key=lambda o: (o.decided_at, o.pk))
        sheet.append({"run": run, "steps": steps, "overrides": overrides})
    return sheet


def catalogue_items(site, *, unit=None, year=None, category=""):
    """信息公开目录 — the site's published items with an index number, narrowed by unit,
    year of the index number and column category when given."""
    items = published_articles(site).filter(index_number__isnull=False)
    if unit is not None:
        items = items.filter(unit_id=unit)
    if year is not None:
        items = items.filter(index_number__contains=f"/{year}-")
    if category:
        items = items.filter(column__category=category)
    return items


def units_with_columns(site):
    """The units owning a column of site: the catalogue's and the guide's unit list."""
    return Unit.objects.filter(columns__site=site).distinct().order_by("pk")


def public_service_items(site):
    """办事事项 — the site's published service items, by unit and position."""
    return (
        ServiceItem.objects.filter(is_published=True, site=site)
        .select_related("unit")
        .order_by("unit_id", "position", "pk")
    )


def units_with_service_items(site):
    return Unit.objects.filter(service_items__site=site).distinct().order_by("pk")
