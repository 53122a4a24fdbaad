"""The column tree, its update rules, and the object permissions that say who owns a column."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from mptt.models import MPTTModel, TreeForeignKey

from .structure import Site, Unit


class ColumnCategory(models.TextChoices):
    """栏目类别 — fixes the national longest gap between updates [P§9]."""

    NEWS = "news", _("News / headlines")
    NOTICE = "notice", _("Notices")
    POLICY = "policy", _("Policy documents")
    PERSONNEL = "personnel", _("Personnel")
    PLANNING = "planning", _("Plans and programmes")
    OVERVIEW = "overview", _("Overview (static)")
    INTERACTION = "interaction", _("Interaction")
    SERVICE = "service", _("Services")
    TOPIC = "topic", _("Special topic")
    OTHER = "other", _("Other")


#: The national indicators' longest gaps in days [P§9], used when the operator has not
#: stored a rule for a category (the data migration stores these same values).
NATIONAL_MAX_GAP_DAYS = {
    ColumnCategory.NEWS: 14,
    ColumnCategory.NOTICE: 183,
    ColumnCategory.POLICY: 183,
}
DEFAULT_MAX_GAP_DAYS = 365


class CategoryUpdateRule(models.Model):
    """栏目更新规则 — the longest allowed gap between two updates of a column of a category.

    Data the operator edits: the national indicators set 2 weeks for 动态/要闻, 6 months for
    通知公告/政策文件 and 1 year for 人事/规划计划 and other columns [P§9]. A column may be
    stricter (Column.max_gap_days and the other local rule fields), never looser.
    """

    category = models.CharField(
        _("category"), max_length=20, choices=ColumnCategory.choices, unique=True
    )
    max_gap_days = models.PositiveIntegerField(
        _("longest gap between updates (days)"),
        help_text=_("A column of this category must be updated at least this often."),
    )
    basis = models.CharField(
        _("basis"),
        max_length=200,
        blank=True,
        help_text=_("The regulation the rule comes from."),
    )

    class Meta:
        verbose_name = _("category update rule")
        verbose_name_plural = _("category update rules")
        ordering = ["max_gap_days", "category"]

    def __str__(self):
        return f"{self.get_category_display()}: {self.max_gap_days}"

    def clean(self):
        if not self.max_gap_days:
            raise ValidationError({"max_gap_days": _("The longest gap must be at least one day.")})


class Column(MPTTModel):
    """栏目 — a node of a site's column tree; the unit of ownership and permission.

    Ownership: unit is the responsible unit. unit_assigned_explicitly says whether the
    operator assigned it to this column; when it is off the column inherits its parent's
    unit, and columns.services keeps it so when the parent is reassigned or the column moves.
    Never set unit by hand: columns.services.assign_column also moves the object permissions.

    Update rule (read by monitoring's freshness check): the category's national longest gap
    (CategoryUpdateRule) unless max_gap_days is stricter — see effective_max_gap(). The
    other local rules are minimums a monitor counts over a calendar week and month
    (min_updates_per_week, min_updates_per_month) and a longest gap in working days
    (max_working_days_between_updates), evaluated with the working-day calendar. Empty
    means no local rule.
    """

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="columns", verbose_name=_("site")
    )
    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent column"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, allow_unicode=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    category = models.CharField(
        _("category"), max_length=20, choices=ColumnCategory.choices, default=ColumnCategory.OTHER
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="columns",
    )
    unit_assigned_explicitly = models.BooleanField(
        _("unit assigned explicitly"),
        default=False,
        help_text=_("Off: the column is the responsibility of its parent column's unit."),
    )
    on_homepage = models.BooleanField(_("shown on homepage"), default=False)
    is_special_topic = models.BooleanField(_("special topic"), default=False)
    topic_starts_on = models.DateField(_("topic starts on"), null=True, blank=True)
    topic_ends_on = models.DateField(_("topic ends on"), null=True, blank=True)
    max_gap_days = models.PositiveIntegerField(
        _("local longest gap (days)"),
        null=True,
        blank=True,
        help_text=_("Stricter than the category's national rule; empty: the national rule."),
    )
    min_updates_per_week = models.PositiveSmallIntegerField(
        _("minimum updates per week"), null=True, blank=True
    )
    min_updates_per_month = models.PositiveSmallIntegerField(
        _("minimum updates per month"), null=True, blank=True
    )
    max_working_days_between_updates = models.PositiveSmallIntegerField(
        _("longest gap in working days"),
        null=True,
        blank=True,
        help_text=_("E.g. a homepage updated at least every 5 working days."),
    )

    class MPTTMeta:
        order_insertion_by = ["position"]

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"], name="column_slug_unique_among_siblings"
            ),
            models.UniqueConstraint(
                fields=["site", "slug"],
                condition=models.Q(parent__isnull=True),
                name="root_column_slug_unique_per_site",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if self.site_id and parent.site_id != self.site_id:
                errors["parent"] = _("The parent column belongs to another site.")
            elif self.pk and parent.tree_id == self.tree_id and self.lft <= parent.lft <= self.rght:
                # Compared on the stored tree: the new parent lies inside this column's subtree.
                errors["parent"] = _(
                    "A column cannot be moved under itself or one of its own sub-columns; "
                    "choose a parent outside this branch."
                )
        if self.slug and self.site_id and "parent" not in errors:
            siblings = Column.objects.filter(site_id=self.site_id, parent=parent, slug=self.slug)
            if self.pk:
                siblings = siblings.exclude(pk=self.pk)
            if siblings.exists():
                errors["slug"] = _(
                    "Another column under the same parent already uses the slug “%(slug)s”; "
                    "choose a different slug."
                ) % {"slug": self.slug}
        if (
            self.topic_starts_on
            and self.topic_ends_on
            and self.topic_ends_on < self.topic_starts_on
        ):
            errors["topic_ends_on"] = _("The topic cannot end before it starts.")
        from ..selectors import update_rules

        national = update_rules().get(self.category, DEFAULT_MAX_GAP_DAYS)
        if self.max_gap_days is not None and not 0 < self.max_gap_days <= national:
            errors["max_gap_days"] = _(
                "A local rule can only be stricter: give between 1 and %(days)s days "
                "(the national rule for this category), or leave it empty."
            ) % {"days": national}
        if errors:
            raise ValidationError(errors)

    @property
    def path(self):
        """The URL path of the column: its ancestors' slugs and its own, joined by '/'."""
        return "/".join(c.slug for c in self.get_ancestors(include_self=True))

    def get_absolute_url(self):
        # A literal path: processes with PORTAL_ROLE=admin have no public URLconf to reverse.
        return f"/columns/{self.path}/"

    def effective_max_gap(self, rules=None):
        """最长更新间隔: the longest allowed gap between updates, as a timedelta.

        The stricter of the category's rule and the column's own max_gap_days. rules is a
        {category: days} dict (columns.selectors.update_rules()) so that a check over many
        columns reads the rules once; without it the rule is read now.
        """
        if rules is None:
            from ..selectors import update_rules

            rules = update_rules()
        days = rules.get(self.category, DEFAULT_MAX_GAP_DAYS)
        if self.max_gap_days:
            days = min(days, self.max_gap_days)
        return timedelta(days=days)

    @property
    def max_gap(self):
        """The effective longest gap between updates (see effective_max_gap)."""
        return self.effective_max_gap()


class ColumnUserObjectPermission(UserObjectPermissionBase):
    """A permission one account holds on one column (direct foreign key: cheap to join)."""

    content_object = models.ForeignKey(Column, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("column permission of an account")
        verbose_name_plural = _("column permissions of accounts")


class ColumnGroupObjectPermission(GroupObjectPermissionBase):
    """A permission a group (a unit's staff) holds on one column."""

    content_object = models.ForeignKey(Column, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("column permission of a unit")
        verbose_name_plural = _("column permissions of units")
