"""The public page cache: whole responses per host and URL, invalidated by content tags.

A public view declares what it shows (publishing.page_tags names it: "article:12",
"column:3", ...) through the hook request.declare_page_content, which calls depends_on().
The response is stored with the version each of those tags had before the view read the
database. When content changes, invalidate() bumps the versions of the tags it touches
(after the transaction commits), and every page showing it is re-rendered on its next
request, while every other page keeps being served from the cache.

A hit costs one shared-cache read and no database query: each web process keeps the entries
it served recently in its own memory (RecentEntries), and checks them against the current
versions of their tags and their site's offline state in one read (so that an invalidation
by any process, a maintenance window or a closure take effect at once). An entry not in the
process's memory costs one more read.

Keys are per host rather than per site because the footer carries the page's own absolute
address; the host names one site, so this is also per site.

Unique query strings must not fill the cache and push every useful page out: a variant is
stored only when the page read every query parameter it carries, each given once, and at most
MAX_QUERY_VARIANTS variants with a query string are stored per host and path a day. Junk
parameters are never stored; unusual values of real ones (?page=0002) are bounded.

Nor may they make every request a render (?utm_source=1, 2, 3 … would cost a full page each):
an entry records the parameters its page read by name, and the path remembers those of its
last stored entry. A request with a query string is looked up under only the parameters the
path's page reads, and served when it agrees with the entry on each of them; a page that
read the query as a whole (iterated, copied, tested for emptiness) is looked up as given.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from email.utils import formatdate
from functools import partial

from django.core.cache import caches
from django.db import transaction
from django.dispatch import Signal
from django.http import QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.connection import ConnectionProxy
from django.utils.http import http_date
from django.utils.translation import get_language_from_request

#: Shared by every web process and the Celery worker (whose publishing invalidates pages):
#: Redis when configured, otherwise files under var/ (see settings.CACHES["pages"]).
cache = ConnectionProxy(caches, "pages")
#: How long an entry may live at most; tags make it stale much sooner when content changes.
ENTRY_TIMEOUT = 24 * 3600
#: Response headers that must not be replayed to another visitor.
PRIVATE_HEADERS = {"set-cookie", "vary"}
VERSION_PREFIX = "pagecache:v:"
STATE_PREFIX = "pagecache:site-state:"
VARIANTS_PREFIX = "pagecache:variants:"
READS_PREFIX = "pagecache:reads:"
#: Query-string variants stored per host and path within ENTRY_TIMEOUT: enough for every page
#: of a long list and the catalogue's filters, few enough that junk values stay bounded.
MAX_QUERY_VARIANTS = 200


def _path_key(prefix, request):
    raw = request.get_host().lower() + "|" + request.path
    return prefix + hashlib.sha256(raw.encode()).hexdigest()


def _entry_key(request, names=None):
    """The entry's key: host, path with the query's parameters in order (only names, when
    given) and language."""
    query = QueryDict(mutable=True)
    for name, values in sorted(request.GET.lists()):
        if names is None or name in names:
            query.setlist(name, values)
    raw = "|".join(
        [
            request.get_host().lower(),
            request.path + ("?" + query.urlencode() if query else ""),
            get_language_from_request(request),
        ]
    )
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()


class ReadRecordingQuery(QueryDict):
    """request.GET that notes which parameters the page read by name, and whether it read the
    query as a whole (then any parameter may have shaped the page)."""

    def __init__(self, *args, **kwargs):
        self.read = set()
        super().__init__(*args, **kwargs)
        # Filling the query tests its keys: only what the page reads counts.
        self.read = set()
        self.read_whole = False

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def _whole(method):
        def reading_whole(self, *args, **kwargs):
            self.read_whole = True
            return method(self, *args, **kwargs)

        return reading_whole

    __iter__ = _whole(QueryDict.__iter__)
    __len__ = _whole(QueryDict.__len__)
    keys = _whole(QueryDict.keys)
    values = _whole(QueryDict.values)
    items = _whole(QueryDict.items)
    lists = _whole(QueryDict.lists)
    dict = _whole(QueryDict.dict)
    copy = _whole(QueryDict.copy)
    urlencode = _whole(QueryDict.urlencode)
    del _whole

    def names_read(self):
        """The parameters the page's answer may depend on: those read by name, sorted; None
        when it read the query as a whole."""
        return None if self.read_whole else sorted(self.read)


def _uses_whole_query(request):
    """Whether the page read every query parameter of request by name, each given once: a
    variant with parameters the page ignored is the same page under a junk key."""
    query = QueryDict(request.META.get("QUERY_STRING", ""))
    read = request.GET.read
    return all(key in read and len(values) == 1 for key, values in query.lists())


def _agrees(request, entry):
    """Whether request gives each parameter entry's page read the value it was rendered with."""
    names = entry.get("reads")
    if names is None:
        return True  # looked up under the whole query: the key says it all
    return all(request.GET.getlist(name) == entry["query"].get(name, []) for name in names)


def _version_keys(tags):
    return [VERSION_PREFIX + tag for tag in tags]


def depends_on(request, *tags):
    """Declare that the page being rendered shows what tags name; call before reading it.

    Reads (and creates when missing) the tags' current versions now, so that a change
    committed while the view still runs leaves the entry stale instead of wrong.
    """
    if not hasattr(request, "page_cache_versions"):
        return
    new = [tag for tag in tags if tag not in request.page_cache_versions]
    if not new:
        return
    stored = cache.get_many(_version_keys(new))
    for tag in new:
        version = stored.get(VERSION_PREFIX + tag)
        if version is None:
            # Never reused: an entry recorded under an evicted version stays stale.
            version = request.page_cache_started_ns - 1
            # add(): a concurrent invalidate() that set a newer version wins.
            cache.add(VERSION_PREFIX + tag, version, None)
            version = cache.get(VERSION_PREFIX + tag, version)
        request.page_cache_versions[tag] = version


#: Sent once a change to the content named by tags (a frozenset) has committed, after the
#: cached pages showing it were made stale: the static publisher (staticsite, above portal)
#: re-renders its files of those pages.
content_changed = Signal()


def invalidate(*tags):
    """Make every cached page showing any of tags stale, once the current transaction commits."""
    tags = frozenset(tags)
    keys = _version_keys(tags)

    def bump():
        now = time.time_ns()
        cache.set_many(dict.fromkeys(keys, now), None)
        content_changed.send(sender=None, tags=tags)

    transaction.on_commit(bump)


# --- site state: closure and offline windows, read on every hit ---------------------------


def site_state(site):
    """(closed, moments) of a site: moments are when its offline notices start and end and
    its windows begin and end; a cached page rendered before one of them is not served after
    it. Computed from the database on a miss, cached until a site or window changes."""
    key = STATE_PREFIX + str(site.pk)
    state = cache.get(key)
    if state is None:
        from columns.offline import announced_windows

        moments = []
        for window in announced_windows(site):
            moments += [window.scheduled_at, window.starts_at, window.ends_at]
        state = (site.status != site.Status.OPEN, sorted(m.timestamp() for m in moments))
        cache.set(key, state, ENTRY_TIMEOUT)
    return state


def forget_site_state(site_id):
    transaction.on_commit(lambda: cache.delete(STATE_PREFIX + str(site_id)))


def _state_allows(state, rendered_at, now):
    closed, moments = state
    return not closed and not any(rendered_at < moment <= now for moment in moments)


# --- the middleware --------------------------------------------------------------------------


class RecentEntries:
    """The entries this process served last, by key: saves the shared-cache read of the page
    body on a hit. Safe to keep stale: every use is validated against the shared versions."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def drop(self, key):
        with self.lock:
            self.entries.pop(key, None)


#: About 500 pages of ~20 kB: 10 MB per web process at most.
recent_entries = RecentEntries(500)


def _conditional(request, entry):
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=int(entry["rendered_at"])
    )


class PublicPageCacheMiddleware:
    """Serves cached public pages before sessions, site lookup or the database are touched.

    Sits right after WhiteNoise. Only GET/HEAD of views that called depends_on() are stored,
    only with status 200 and no cookie set, and never for a logged-in staff member's request
    (their pages may show things the public does not see).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # With a query string, only the parameters the path's page reads name its entry.
        names = cache.get(_path_key(READS_PREFIX, request)) if request.GET else None
        key = _entry_key(request, names)
        entry = recent_entries.get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                recent_entries.put(key, entry)
        if entry is not None and _agrees(request, entry):
            response = self._serve(request, entry)
            if response is not None:
                return response
            recent_entries.drop(key)
        request.page_cache_versions = {}
        request.page_cache_started_ns = time.time_ns()
        request.declare_page_content = partial(depends_on, request)
        request.GET = ReadRecordingQuery(
            request.META.get("QUERY_STRING", ""), encoding=request.GET.encoding
        )
        response = self.get_response(request)
        read = request.GET.names_read()
        if self._storable(request, response) and _uses_whole_query(request):
            full_key = _entry_key(request)
            # A stale entry under the same key is replaced, not a new variant.
            if (entry is not None and key == full_key) or self._new_variant_allowed(request):
                self._store(request, full_key, response, read)
        return response

    def _new_variant_allowed(self, request):
        """A page not stored yet: always when it has no query string; with one, only when its
        path has room for one more variant."""
        if not request.META.get("QUERY_STRING"):
            return True
        counter = _path_key(VARIANTS_PREFIX, request)
        cache.add(counter, 0, ENTRY_TIMEOUT)
        try:
            stored = cache.incr(counter)
        except ValueError:  # expired between add() and incr()
            return False
        return stored is not None and stored <= MAX_QUERY_VARIANTS

    def _serve(self, request, entry):
        state_key = STATE_PREFIX + str(entry["site_id"])
        current = cache.get_many([state_key, *_version_keys(entry["versions"])])
        state = current.pop(state_key, None)
        now = timezone.now().timestamp()
        if state is None or not _state_allows(state, entry["rendered_at"], now):
            return None
        for tag, version in entry["versions"].items():
            if current.get(VERSION_PREFIX + tag) != version:
                return None
        response = _conditional(request, entry)
        if response is None:
            from django.http import HttpResponse

            response = HttpResponse(entry["body"], status=200)
            for name, value in entry["headers"]:
                response[name] = value
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = entry["last_modified"]
        response["X-Page-Cache"] = "hit"
        return response

    def _storable(self, request, response):
        return (
            getattr(request, "page_cache_versions", None)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and getattr(request, "site", None) is not None
            and not request.user.is_authenticated
        )

    def _store(self, request, key, response, read):
        started_ns = request.page_cache_started_ns
        # A version newer than the render start means content changed while rendering.
        if any(v >= started_ns for v in request.page_cache_versions.values()):
            return
        started = timezone.now().timestamp()
        site_state(request.site)
        body = response.content
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(started)
        response["X-Page-Cache"] = "miss"
        entry = {
            "body": body,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in PRIVATE_HEADERS
            ],
            "etag": etag,
            "rendered_at": started,
            "last_modified": formatdate(started, usegmt=True),
            "site_id": request.site.pk,
            "versions": dict(request.page_cache_versions),
            "reads": read,
            "query": {name: request.GET.getlist(name) for name in read or ()},
        }
        cache.set(key, entry, ENTRY_TIMEOUT)
        cache.set(_path_key(READS_PREFIX, request), read, ENTRY_TIMEOUT)
        recent_entries.put(key, entry)
