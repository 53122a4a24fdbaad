"""What the static publisher does: note a change and queue the pages it touches, render
queued pages, rebuild sites, and say which files are missing or stale."""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from monitoring import tamper as article_tamper
from publishing import page_tags

from . import pages, rendering
from .models import ContentTag, FileChange, PendingRender, PublishedPage

logger = logging.getLogger(__name__)

WRITTEN, UNCHANGED, REMOVED, HELD = "written", "unchanged", "removed", "held"


# --- from a change to the pages it touches ------------------------------------------------------


def pages_showing(tags):
    """The written pages that declared any of tags: one query through the tag index."""
    return PublishedPage.objects.filter(tags__name__in=list(tags))


def affected_pages(tags):
    """{(site id, host, path)} to render again after content under tags changed: the pages
    written with one of the tags, and the pages the tags name that were not written yet."""
    targets = set(pages_showing(tags).values_list("site_id", "host", "path"))
    by_site = {}
    for tag in tags:
        for site_id, paths in pages.tag_paths(tag).items():
            by_site.setdefault(site_id, set()).update(paths)
    for site_id, hosts in pages.hosts_of(by_site).items():
        targets.update((site_id, host, path) for host in hosts for path in by_site[site_id])
    return targets


def note_change(tags, at=None):
    """Record when content under tags changed (check_static compares it with the renders)."""
    at = at or timezone.now()
    ContentTag.objects.bulk_create(
        [ContentTag(name=name, changed_at=at) for name in tags],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["changed_at"],
    )


def enqueue(targets, *, rebuild=False):
    """Queue (site id, host, path) targets; a page already queued stays queued once.

    A change's pages are rendered before a rebuild's backlog (PendingRender.priority), its
    lists' later pages, feeds and sitemaps after the pages readers open; queueing for a
    rebuild never lowers the priority a change gave a page already queued.

    On conflict the row is updated rather than skipped: on PostgreSQL that waits for a
    worker rendering the page right now (it holds the row) and then queues it anew, so a
    change committed during that render is not lost with the row the worker deletes.
    """
    now = timezone.now()
    PendingRender.objects.bulk_create(
        [
            PendingRender(site_id=s, host=h, path=p, queued_at=now, priority=_priority(p, rebuild))
            for s, h, p in targets
        ],
        update_conflicts=True,
        unique_fields=["host", "path"],
        update_fields=["queued_at"] if rebuild else ["queued_at", "priority"],
        batch_size=500,
    )


def _priority(path, rebuild):
    if rebuild:
        return PendingRender.REBUILD
    # A page's own name (rss.xml, sitemap.xml) is a file machines read, not a reader's page.
    following = "?page=" in path or not path.endswith("/")
    return PendingRender.CHANGE_FOLLOWING if following else PendingRender.CHANGE


def republish_later(tags):
    """After a committed change: note it, queue every page it touches, and ask a worker to
    render the queue once the burst is over (ten edits in a second render each page once).

    The pages a whole site's tag touches (every page carries its navigation and footer) go
    at a rebuild's priority, those the other tags name before them: a column renamed on one
    site does not hold up an approval on another."""
    from .tasks import render_pending

    note_change(tags)
    whole_sites = {tag for tag in tags if tag.startswith(page_tags.site(""))}
    enqueue(affected_pages(whole_sites), rebuild=True)
    enqueue(affected_pages(set(tags) - whole_sites))
    try:
        render_pending.apply_async(countdown=settings.STATIC_PAGES_COALESCE_SECONDS)
    except BrokerUnavailable:
        # The rows stay queued; the beat's next tick renders them.
        logger.warning("static pages queued, no broker to start a render now", exc_info=True)


# --- rendering ----------------------------------------------------------------------------------


def _tag_ids(names):
    ContentTag.objects.bulk_create([ContentTag(name=n) for n in names], ignore_conflicts=True)
    return list(ContentTag.objects.filter(name__in=names).values_list("pk", flat=True))


def place(file, body):
    """Write a page's file and note it for the public hosts (分发), in the caller's transaction."""
    rendering.write_atomically(file, body)
    FileChange.objects.create(file=file, at=timezone.now())


def withdraw(file):
    """Delete a page's file and note it for the public hosts."""
    rendering.remove(file)
    FileChange.objects.create(file=file, deleted=True, at=timezone.now())


def publish_page(*, site_id, host, path, force=False):
    """Render host + path and write its file, or delete the file when the page is no longer
    a public page that is the same for everyone (gone, withdrawn, offline, or visitor
    dependent): the application then answers it. Returns WRITTEN, UNCHANGED, REMOVED or HELD.
    force writes the file even when it is unchanged (a public host served other bytes).

    防篡改: a page that shows an article's body is written only while the article's text in
    the database is the text approved (monitoring.tamper.keep_approved_text, asked after the
    render so that a change made during it is seen too). Changed behind the review, the text
    is alerted and put back from the approved revision, and the page rendered again; with no
    such revision the file served is kept as it is and HELD returned."""
    started = timezone.now()
    file = rendering.file_for(host, path)
    # Rendered before the writes' transaction, which stays short (on SQLite it locks all).
    rendered = rendering.render(host, path)
    article_id = pages.article_in_full(path)
    if rendered.publishable and article_id is not None:
        kept = article_tamper.keep_approved_text(article_id)
        if kept == article_tamper.RESTORED:
            # Written only if the approved text is still there once rendered again.
            rendered = rendering.render(host, path)
            kept = article_tamper.keep_approved_text(article_id)
        if kept is not None:
            return HELD
    with transaction.atomic():
        return _store_page(site_id, host, path, file, rendered, started, force)


def _store_page(site_id, host, path, file, rendered, started, force):
    page = PublishedPage.objects.filter(host=host, path=path).first()
    if not rendered.publishable:
        withdraw(file)
        if page is not None:
            page.delete()
        return REMOVED
    fingerprint = rendered.fingerprint
    outcome = UNCHANGED
    # Same bytes as stored and on disk: the file stays (its mtime too, for distribution).
    if (
        force
        or page is None
        or page.fingerprint != fingerprint
        or rendering.file_fingerprint(file) != fingerprint
    ):
        place(file, rendered.body)
        outcome = WRITTEN
    fields = {
        "site_id": site_id,
        "file": file,
        "fingerprint": fingerprint,
        "templates_fingerprint": rendering.templates_fingerprint(),
        "rendered_at": started,
    }
    page, _ = PublishedPage.objects.update_or_create(host=host, path=path, defaults=fields)
    # Every page carries the site's navigation and footer, whatever its view declared.
    page.tags.set(_tag_ids(rendered.tags | {page_tags.site(site_id)}))
    return outcome


#: The order workers take queued pages in: a change's before a rebuild's, then the oldest.
QUEUE_ORDER = ("priority", "queued_at", "pk")


def render_pending(*, seconds=None):
    """Render queued pages one by one, in QUEUE_ORDER, until the queue is empty or `seconds`
    have passed; returns {outcome: count}. A page's row is deleted only after its file is
    written: a worker killed mid-render leaves the row queued.

    On PostgreSQL each page is taken with SELECT … FOR UPDATE SKIP LOCKED (workers share the
    queue, none waits on another) and its row deleted in the transaction that wrote it. SQLite
    has no row locks (a write transaction locks the whole database, and a render inside one
    would stop every other writer for its length), so there the page is rendered outside any
    transaction and its row deleted only if no change queued it again meanwhile.
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    row_locks = connection.features.has_select_for_update_skip_locked
    done = {}
    while deadline is None or time.monotonic() < deadline:
        if row_locks:
            with transaction.atomic():
                row = (
                    PendingRender.objects.select_for_update(skip_locked=True)
                    .order_by(*QUEUE_ORDER)
                    .first()
                )
                if row is None:
                    break
                outcome = publish_page(site_id=row.site_id, host=row.host, path=row.path)
                row.delete()
        else:
            row = PendingRender.objects.order_by(*QUEUE_ORDER).first()
            if row is None:
                break
            outcome = publish_page(site_id=row.site_id, host=row.host, path=row.path)
            PendingRender.objects.filter(pk=row.pk, queued_at=row.queued_at).delete()
        done[outcome] = done.get(outcome, 0) + 1
    return done


def site_targets(site):
    """{(site id, host, path)}: every page of site, and the pages written for it before (a
    page gone since is rendered once more, answers 404 and its file is deleted)."""
    paths = pages.site_paths(site)
    targets = {
        (site.pk, host, path)
        for host in pages.hosts_of([site.pk]).get(site.pk, [])
        for path in paths
    }
    written = PublishedPage.objects.filter(site=site).values_list("site_id", "host", "path")
    return targets | set(written)


def rebuild(targets, progress=None):
    """Render every target now (a full rebuild); progress(done, total) after each page."""
    targets = sorted(targets)
    done = {}
    for number, (site_id, host, path) in enumerate(targets, 1):
        outcome = publish_page(site_id=site_id, host=host, path=path)
        done[outcome] = done.get(outcome, 0) + 1
        if progress:
            progress(number, len(targets))
    return done


def pages_with_old_templates():
    """{(site id, host, path)} of the pages rendered with other templates than these."""
    current = rendering.templates_fingerprint()
    stale = PublishedPage.objects.exclude(templates_fingerprint=current)
    return set(stale.values_list("site_id", "host", "path"))


# --- sites offline or closed (临时下线, 关闭) ---------------------------------------------------


@transaction.atomic
def take_down(site_id):
    """Delete every file of a site: nginx then passes its addresses to the application, which
    answers the maintenance page (503) or the closing notice (410)."""
    written = PublishedPage.objects.select_for_update().filter(site_id=site_id)
    for file in written.values_list("file", flat=True):
        withdraw(file)
    written.delete()


def follow_site_availability():
    """What the beat does every minute, for the moments no edit signals: a site whose offline
    window has begun, or that is closed, loses its files; a site whose window ended after it
    was last republished whole is republished (its pages also lose the window's notice).
    Returns ({sites taken down}, {sites republished})."""
    from columns.models import OfflineWindow, Site

    now = timezone.now()
    windows = OfflineWindow.objects.in_force()
    down = set(
        windows.filter(starts_at__lte=now, ends_at__gt=now).values_list("site_id", flat=True)
    )
    down |= set(Site.objects.exclude(status=Site.Status.OPEN).values_list("pk", flat=True))
    taken_down = set(
        PublishedPage.objects.filter(site_id__in=down).values_list("site_id", flat=True)
    )
    for site_id in taken_down:
        take_down(site_id)
    # ContentTag site:N changed_at: when the whole site was last queued for republication.
    queued = dict(
        ContentTag.objects.filter(name__startswith="site:").values_list("name", "changed_at")
    )
    back = set()
    for site_id, ended in (
        windows.filter(ends_at__lte=now).exclude(site_id__in=down).values_list("site_id", "ends_at")
    ):
        last = queued.get(page_tags.site(site_id))
        if last is None or last < ended:
            back.add(site_id)
    for site_id in back:
        republish_later({page_tags.site(site_id)})
    return taken_down, back


# --- the check ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    host: str
    path: str
    reason: str


MISSING = "missing"
MODIFIED = "modified"
STALE = "stale"
OLD_TEMPLATES = "old templates"
NOT_PUBLISHED = "not published"


def problems(sites):
    """What is wrong with the published files of sites: a file missing, bytes that differ
    from the stored fingerprint, a render older than the last change of what it shows or
    made with other templates, and a public page never written."""
    found = []
    written = PublishedPage.objects.filter(site__in=sites)
    for page in written.only("host", "path", "file", "fingerprint").iterator():
        on_disk = rendering.file_fingerprint(page.file)
        if on_disk is None:
            found.append(Problem(page.host, page.path, MISSING))
        elif on_disk != page.fingerprint:
            found.append(Problem(page.host, page.path, MODIFIED))
    stale = written.filter(tags__changed_at__gt=F("rendered_at")).distinct()
    found += [Problem(h, p, STALE) for h, p in stale.values_list("host", "path")]
    old = written.exclude(templates_fingerprint=rendering.templates_fingerprint())
    found += [Problem(h, p, OLD_TEMPLATES) for h, p in old.values_list("host", "path")]
    known = set(written.values_list("host", "path"))
    for site in sites:
        for _, host, path in site_targets(site):
            if (host, path) not in known:
                found.append(Problem(host, path, NOT_PUBLISHED))
    return found
