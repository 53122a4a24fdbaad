"""访问量统计 — public page visits counted in cache counters, without a database write per request,
and flushed by a beat task into one row per page and day (PageVisitDay).

Each process gathers its visits for up to PUSH_DELAY seconds, then adds them to counters in
the "visits" cache (Redis in production, shared by every web process and the worker). Each
(day, host name, page) has a counter; the first visit of a page on a day also files the page
in a numbered slot so the flush can find every counter without listing keys. The middleware
sits before the public page cache, so pages served from it count too, and before `make run`'s
published-file middleware (staticsite.serving), so pages answered from their files count too;
it knows only the host name, which the flush turns into the site. Pages a web server answers
from files without the application are counted from its log (staticsite.visit_log) into the
same counters through count_visits, by the same rule (is_visit).
"""

import hashlib
import threading
from collections import Counter
from datetime import timedelta

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from columns.models import Site, SiteHost

from .models import PageVisitDay
from .page_owners import owners_of

#: Counters outlive the day long enough for the last flush of the day to read them.
COUNTER_TTL = 3 * 24 * 3600
#: Paths that are not public pages of a site.
NOT_PAGES = ("/admin/", "/staff/", "/static/", "/media/", "/captcha/", "/healthz", "/api/")
#: Visits wait this many seconds in the process before they are added to the shared counters,
#: so a page served from the page cache pays no cache round trip for being counted. A process
#: killed outright loses at most this much of its counting.
PUSH_DELAY = 1.0


def _prefix(day):
    return f"visits:{day:%Y%m%d}"


def _add_to_counter(day, host, path, visits):
    cache = caches["visits"]
    prefix = _prefix(day)
    key = f"{prefix}:{hashlib.sha1(f'{host}|{path}'.encode()).hexdigest()[:24]}"
    if cache.add(key, visits, COUNTER_TTL):
        cache.add(f"{prefix}:slots", 0, COUNTER_TTL)
        slot = cache.incr(f"{prefix}:slots")
        cache.set(f"{prefix}:slot:{slot}", (host, path, key), COUNTER_TTL)
        return
    try:
        cache.incr(key, visits)
    except ValueError:
        # The counter expired between add() and incr(): visits past their day's window.
        pass


def is_visit(*, method, path, status, content_type):
    """A successful GET of a public HTML page (a 304 is a visit of a cached copy)."""
    return (
        method == "GET"
        and (status == 304 or (status == 200 and "html" in content_type))
        and not path.startswith(NOT_PAGES)
    )


def host_name(host):
    """The host name a visit is counted under: no port, lower case, no final dot."""
    return host.split(":")[0].lower().rstrip(".")


def count_visits(counts):
    """Add visits seen elsewhere than this process ({(day, host, path): visits}, e.g. from a web
    server's log) to the shared counters, which the flush reads."""
    for (day, host, path), visits in counts.items():
        _add_to_counter(day, host_name(host), path[:500], visits)


class _PendingVisits:
    """The visits this process has counted and not yet added to the shared counters."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = Counter()
        self._timer = None

    def add(self, host, path):
        with self._lock:
            self._counts[(timezone.localdate(), host, path)] += 1
            if self._timer is None:
                self._timer = threading.Timer(PUSH_DELAY, self.push)
                self._timer.daemon = True
                self._timer.start()

    def push(self):
        with self._lock:
            counts, self._counts = self._counts, Counter()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        for (day, host, path), visits in counts.items():
            _add_to_counter(day, host, path, visits)


pending_visits = _PendingVisits()


class VisitCountingMiddleware:
    """Counts the visits (is_visit) the application answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_visit(
            method=request.method,
            path=request.path,
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
        ):
            pending_visits.add(host_name(request.get_host()), request.path[:500])
        return response


def flush(*, day=None):
    """Write a day's counters into PageVisitDay (today and yesterday by default).

    A counter is the day's running total, so the row is set to it, never added to: a flush
    that runs twice or overlaps another counts nothing twice.
    """
    pending_visits.push()
    days = [day] if day else [timezone.localdate(), timezone.localdate() - timedelta(days=1)]
    written = 0
    for one_day in days:
        written += _flush_day(one_day)
    return written


@transaction.atomic
def _flush_day(day):
    cache = caches["visits"]
    prefix = _prefix(day)
    slots = cache.get(f"{prefix}:slots") or 0
    pages = list(cache.get_many([f"{prefix}:slot:{n}" for n in range(1, slots + 1)]).values())
    totals = cache.get_many([key for _host, _path, key in pages])
    sites = dict(
        SiteHost.objects.filter(hostname__in={host for host, _p, _k in pages}).values_list(
            "hostname", "site_id"
        )
    )
    by_site = {}
    for host, path, key in pages:
        # Hosts no site answers on got a 404 and are not counted; several host names of
        # one site add up.
        if totals.get(key) and host in sites:
            counts = by_site.setdefault(sites[host], {})
            counts[path] = counts.get(path, 0) + totals[key]
    written = 0
    for site_id, counts in by_site.items():
        existing = {
            row.path: row
            for row in PageVisitDay.objects.filter(day=day, site_id=site_id, path__in=counts)
        }
        new_paths = [p for p in counts if p not in existing]
        owners = owners_of(Site.objects.get(pk=site_id), new_paths) if new_paths else {}
        to_create, to_update = [], []
        for path, visits in counts.items():
            row = existing.get(path)
            if row is None:
                article, column, _unit = owners.get(path, (None, None, None))
                to_create.append(
                    PageVisitDay(
                        day=day,
                        site_id=site_id,
                        path=path,
                        article=article,
                        column=column,
                        visits=visits,
                    )
                )
            elif visits > row.visits:
                # Never lower: a cache restart starts the counter again from zero.
                row.visits = visits
                to_update.append(row)
        PageVisitDay.objects.bulk_create(to_create)
        PageVisitDay.objects.bulk_update(to_update, ["visits"])
        written += len(to_create) + len(to_update)
    return written
