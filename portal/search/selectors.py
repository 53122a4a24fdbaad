"""Reads of the search index: what a site's public may find, filtered, title hits first."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

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


#: Counting stops here: beyond it a reader refines the words rather than pages on, and an
#: exact count of a word in most documents would read most of the index.
COUNT_LIMIT = 1000


def _count(queryset):
    return queryset.values("pk")[:COUNT_LIMIT].count()


@dataclass
class SearchHits:
    """The entries holding every word: title hits first, then the others, each newest first.

    Shaped for django.core.paginator.Paginator (count() and slicing). Each group is read in
    date order with LIMIT, so a page costs the same for a word in ten documents or in most;
    counts stop at COUNT_LIMIT (see capped).
    """

    entries: object
    words: list

    def _title_hits(self, indexed=True):
        return self.entries.filter(backends.match(self.words, title_only=True, indexed=indexed))

    def _other_hits(self, indexed=True):
        everywhere = self.entries.filter(backends.match(self.words, indexed=indexed))
        return everywhere.exclude(backends.match(self.words, title_only=True))

    @cached_property
    def title_count(self):
        return _count(self._title_hits())

    @cached_property
    def other_count(self):
        return _count(self._other_hits())

    def count(self):
        return min(COUNT_LIMIT, self.title_count + self.other_count)

    @property
    def capped(self):
        """Whether more entries match than were counted."""
        return self.title_count + self.other_count >= COUNT_LIMIT

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        start, stop = index.start or 0, index.stop
        newest = ("-published_at", "-pk")
        found = []
        # A group with more matches than are counted is read in date order (see match()).
        if start < self.title_count:
            hits = self._title_hits(indexed=self.title_count < COUNT_LIMIT)
            hits = hits.select_related("column").order_by(*newest)
            found += hits[start : min(stop, self.title_count)]
        if stop > self.title_count:
            hits = self._other_hits(indexed=self.other_count < COUNT_LIMIT)
            hits = hits.select_related("column").order_by(*newest)
            found += hits[max(0, start - self.title_count) : stop - self.title_count]
        return found


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
    # The calendar's first and last days limit nothing (and would overflow in UTC).
    if published_from and published_from > date.min:
        entries = entries.filter(published_at__gte=_start_of(published_from))
    if published_until and published_until < date.max:
        entries = entries.filter(published_at__lt=_start_of(published_until + timedelta(days=1)))
    return SearchHits(entries, words)


def matching_services(site, words):
    """搜索即服务 — the site's service items that match, to be shown before everything else."""
    return search(site, words, kinds=[SearchKind.SERVICE])
