"""栏目更新监测 — each column's current freshness verdict and the daily figures behind trends."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FreshnessState(models.TextChoices):
    """更新状态 — measured against the column's longest allowed gap (SPEC §2)."""

    OK = "ok", _("Up to date")
    WARNING = "warning", _("Due soon")
    STALE = "stale", _("Not updated")
    BLANK = "blank", _("Blank column")


class ColumnFreshness(models.Model):
    """栏目更新状态 — a column's latest verdict; its unit is alerted when the state changes.

    since is when the column entered its state: together with the state it is the key of the
    alert, so a check that runs twice alerts once.
    """

    column = models.OneToOneField(
        "columns.Column",
        on_delete=models.CASCADE,
        related_name="freshness",
        verbose_name=_("column"),
    )
    state = models.CharField(_("state"), max_length=10, choices=FreshnessState.choices)
    since = models.DateTimeField(_("in this state since"))
    last_published_at = models.DateTimeField(_("last update"), null=True, blank=True)
    max_gap_days = models.PositiveIntegerField(_("longest gap (days)"))
    updates_week = models.PositiveIntegerField(_("updates this week"), default=0)
    updates_month = models.PositiveIntegerField(_("updates this month"), default=0)
    below_minimum = models.BooleanField(
        _("below the local minimum"),
        default=False,
        help_text=_("Fewer updates last week or last month than the column's local rule asks."),
    )
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("column freshness")
        verbose_name_plural = _("column freshness")
        ordering = ["column__tree_id", "column__lft"]

    def __str__(self):
        return f"{self.column}: {self.get_state_display()}"


class FreshnessSnapshot(models.Model):
    """栏目更新快照 — one day's freshness figures of a site (unit empty) or of one unit's
    columns on it. The hourly check overwrites the day's row, so history has one row a day."""

    site = models.ForeignKey("columns.Site", on_delete=models.CASCADE, verbose_name=_("site"))
    unit = models.ForeignKey(
        "columns.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("unit"),
    )
    taken_on = models.DateField(_("date"), db_index=True)
    taken_at = models.DateTimeField(_("checked at"))
    columns = models.PositiveIntegerField(_("columns"), default=0)
    ok = models.PositiveIntegerField(_("up to date"), default=0)
    warning = models.PositiveIntegerField(_("due soon"), default=0)
    stale = models.PositiveIntegerField(_("not updated"), default=0)
    blank = models.PositiveIntegerField(_("blank"), default=0)
    updates_week = models.PositiveIntegerField(_("updates this week"), default=0)
    updates_month = models.PositiveIntegerField(_("updates this month"), default=0)
    homepage_last_update = models.DateTimeField(_("homepage last update"), null=True, blank=True)
    homepage_state = models.CharField(
        _("homepage state"), max_length=10, choices=FreshnessState.choices, blank=True
    )

    class Meta:
        verbose_name = _("freshness snapshot")
        verbose_name_plural = _("freshness snapshots")
        ordering = ["-taken_on", "site", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "taken_on"],
                condition=Q(unit__isnull=True),
                name="freshness_snapshot_site_day",
            ),
            models.UniqueConstraint(
                fields=["site", "unit", "taken_on"],
                condition=Q(unit__isnull=False),
                name="freshness_snapshot_unit_day",
            ),
        ]

    def __str__(self):
        return f"{self.site} {self.unit or ''} {self.taken_on}"


class ComplianceDashboard(FreshnessSnapshot):
    """合规监管看板 — the admin's entry to the inspectors' dashboard; no table of its own."""

    class Meta:
        proxy = True
        verbose_name = _("compliance dashboard")
        verbose_name_plural = _("compliance dashboard")
