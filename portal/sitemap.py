"""网站地图 — the public pages of a site that are the same for every visitor, for the HTML
site map and sitemap.xml. Search results, forms and tracking pages depend on the visitor and
are left out (robots.txt keeps crawlers off them); so is what other sites own.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice

from django.utils.translation import gettext_lazy as _

from interaction.participation.selectors import (
    public_consultations,
    public_interviews,
    public_surveys,
)
from interaction.selectors import published_messages
from monitoring.inspections.selectors import (
    published_campaigns,
    published_months,
    published_reports,
)
from publishing.selectors import public_service_items, published_articles

#: Most URLs one sitemap file may hold (sitemaps.org).
SITEMAP_LIMIT = 50_000


@dataclass(frozen=True)
class Page:
    path: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class Section:
    """An entry page of a kind of public page (信息公开指南, 办事服务, 公开留言, ...)."""

    title: str
    path: str


def sections(site):
    """The entry page of every public page type of site but the column pages, in the order
    the site map shows them. Supervision results (监督检查) are the platform's, shown on the
    portal: listed on a site with no parent only."""
    entries = [
        Section(_("Government information disclosure"), "/xxgk/"),
        Section(_("Disclosure guide"), "/xxgk/guide/"),
        Section(_("Disclosure catalogue"), "/xxgk/catalogue/"),
        Section(_("Annual reports"), "/xxgk/annual-reports/"),
        Section(_("Government services"), "/services/"),
        Section(_("Public messages"), "/interaction/messages/"),
        Section(_("Consultations"), "/interaction/consultations/"),
        Section(_("Surveys"), "/interaction/surveys/"),
        Section(_("Online interviews"), "/interaction/interviews/"),
    ]
    if site.parent_id is None:
        entries.append(Section(_("Supervision and inspection"), "/inspections/"))
    return entries


def _pages(queryset, *fields, lastmod=None):
    """A Page per object, reading only what its path and lastmod need."""
    rows = queryset.select_related(None).prefetch_related(None).only(*fields)
    for obj in rows.iterator(chunk_size=2000):
        yield Page(obj.get_absolute_url(), getattr(obj, lastmod) if lastmod else None)


def object_pages(site):
    """Every public object page of site: the articles it owns (not those of other sites it
    also shows), service guides, published messages, consultations, surveys, interviews; on
    the portal the published supervision results."""
    groups = [
        _pages(
            published_articles().filter(column__site=site), "pk", "updated_at", lastmod="updated_at"
        ),
        _pages(public_service_items(site), "pk", "updated_at", lastmod="updated_at"),
        _pages(published_messages(site), "pk", "answered_at", lastmod="answered_at"),
        _pages(public_consultations(site), "pk"),
        _pages(public_surveys(site), "pk"),
        _pages(public_interviews(site), "pk"),
    ]
    if site.parent_id is None:
        years = sorted(set(published_months().values_list("year", flat=True)), reverse=True)
        groups += [
            _pages(published_campaigns(), "pk"),
            _pages(published_months(), "pk", "year", "month"),
            (Page(f"/inspections/scores/{year}/") for year in years),
            _pages(published_reports(), "pk"),
        ]
    return chain.from_iterable(groups)


def sitemap_pages(site, columns):
    """sitemap.xml's pages: the homepage, the columns (columns: the site's, with public_url),
    every entry page and every object page; at most SITEMAP_LIMIT."""
    fixed = [Page("/")]
    fixed += [Page(column.public_url) for column in columns]
    fixed += [Page(section.path) for section in sections(site)]
    return list(islice(chain(fixed, object_pages(site)), SITEMAP_LIMIT))
