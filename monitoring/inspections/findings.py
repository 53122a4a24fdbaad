"""Monitoring findings offered to the inspector when a problem is recorded: a spot-check
problem is pre-filled from what freshness checks and the link crawler already found."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from columns.site_urls import site_origin

from ..models import BrokenLink, ColumnFreshness, FreshnessState, LinkCheckRun
from .models import ProblemCategory


@dataclass(frozen=True)
class Finding:
    key: str
    category: str
    description: str
    evidence_url: str


def _public_url(site, path):
    origin = site_origin(site)
    return f"{origin}{path}" if origin else ""


def findings_for(unit):
    """The unit's current monitoring findings: stale and blank columns, then unusable links
    found by the latest crawl of each site."""
    found = []
    freshness = ColumnFreshness.objects.filter(
        column__unit=unit, state__in=[FreshnessState.STALE, FreshnessState.BLANK]
    ).select_related("column__site")
    for verdict in freshness:
        column = verdict.column
        blank = verdict.state == FreshnessState.BLANK
        if blank:
            description = _("Column “%(column)s” has no published item.") % {"column": column}
        else:
            description = _(
                "Column “%(column)s” was last updated on %(date)s, longer ago than its "
                "%(days)d-day limit."
            ) % {
                "column": column,
                "date": f"{verdict.last_published_at:%Y-%m-%d}"
                if verdict.last_published_at
                else "—",
                "days": verdict.max_gap_days,
            }
        found.append(
            Finding(
                key=f"freshness:{verdict.pk}:{verdict.since:%Y%m%d%H%M%S}",
                category=ProblemCategory.BLANK_COLUMN if blank else ProblemCategory.STALE_COLUMN,
                description=description,
                evidence_url=_public_url(column.site, column.get_absolute_url()),
            )
        )
    latest_runs = {}
    for run in LinkCheckRun.objects.exclude(finished_at=None).order_by("site_id", "-started_at"):
        latest_runs.setdefault(run.site_id, run.pk)
    links = BrokenLink.objects.filter(run_id__in=latest_runs.values(), unit=unit)
    for link in links.order_by("-on_homepage", "pk"):
        found.append(
            Finding(
                key=f"link:{link.pk}",
                category=ProblemCategory.BROKEN_LINK,
                description=_("Unusable link %(url)s on %(page)s (%(problem)s).")
                % {"url": link.url[:200], "page": link.page_url, "problem": link.problem},
                evidence_url=link.page_url if link.page_url.startswith("http") else "",
            )
        )
    return found
