"""访问量 — public page visits per page and day, flushed from cache counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import PageOwner


class PageVisitDay(PageOwner):
    """页面日访问量 — how often one public page of a site was opened on one day.

    Written only by the flush task, which sets the day's running total (never adds), so a
    flush that runs twice counts nothing twice. column and article say whose page it is.
    """

    day = models.DateField(_("day"), db_index=True)
    site = models.ForeignKey(
        "columns.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    path = models.CharField(_("page"), max_length=500)
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("page visits per day")
        verbose_name_plural = _("page visits per day")
        ordering = ["-day", "-visits"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "site", "path"], name="one_visit_row_per_page_day"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.path}: {self.visits}"
