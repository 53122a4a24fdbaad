"""Reads of the search index: what a site's public may find, filtered and ranked."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from ..models import SearchEntry, SearchKind
from . import backends


def public_entries(site):
    """The site's entries whose publish time has come and whose expiry has not.

    Withdrawn items have no entries at all; the times are checked here as well so that an
    item that expired a moment ago is gone before the expiry task has run.
    """
    now = timezone.now()
    return SearchEntry.objects.filter(site=site, published_at__lte=now).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class SearchHits:
    """The entries matching a query: counted plainly, ranked only for the slice shown.

    Shaped for django.core.paginator.Paginator (count() and slicing).
    """

    matches: object
    words: list

    def count(self):
        return self.matches.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return backends.ranked(self.matches, self.words).select_related("column")[index]


def search(site, words, *, column=None, kinds=None, published_from=None, published_until=None):
    """站内搜索 — the site's public entries holding every word, narrowed by the filters.

    column includes its sub-columns; kinds limits the types (SearchKind values); the dates
    are calendar days in the site's time zone, both included.
    """
    entries = public_entries(site)
    if column is not None:
        entries = entries.filter(column__in=column.get_descendants(include_self=True))
    if kinds:
        entries = entries.filter(kind__in=kinds)
    if published_from:
        entries = entries.filter(published_at__gte=_start_of(published_from))
    if published_until:
        entries = entries.filter(published_at__lt=_start_of(published_until + timedelta(days=1)))
    return SearchHits(backends.matching(entries, words), words)


def matching_services(site, words):
    """搜索即服务 — the site's service items that match, to be shown before everything else."""
    return search(site, words, kinds=[SearchKind.SERVICE])
