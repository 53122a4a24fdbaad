"""静态发布 — the public pages that are the same for every visitor, written as files for the
web server to serve first, kept current by what each page declares it shows.

Place in the layers: above portal (columns ← publishing ← interaction ← monitoring ← portal
← staticsite). It renders the pages portal composes, so nothing below may import it; it hears
of changes through portal.caching.content_changed, sent with the same tags the page cache is
made stale with (portal.cache_invalidation).

Output: STATIC_PAGES_ROOT/<host>/<path>index.html for a path ending in /, index-page-N.html
beside it for the list's ?page=N (N ≥ 2), and the path's own name otherwise (sitemap.xml,
robots.txt, columns/<path>/rss.xml). Every host name of a site gets its own files. Each file
is placed with os.replace from a temporary file in the same folder: a reader sees the old
bytes or the new, never a part. A web server serves, for GET/HEAD without a query string,
$root/$host$uri (plus index.html for a /-ending URI), and for ?page=N alone
$root/$host${uri}index-page-N.html; anything else, or a missing file, goes to the application.

The API (for serving, distribution to public hosts, tamper detection, benchmarks):

- models.PublishedPage — one written page: site, host, path, file (relative to the root),
  fingerprint (sha256 of the bytes), templates_fingerprint, rendered_at (when its render
  started) and tags (ContentTag, M2M indexed on the tag). models.ContentTag.changed_at is the
  last committed change under a tag. models.PendingRender is the queue, one row per page,
  taken by priority: the pages of a change readers open, then its lists' later pages, feeds
  and sitemaps, then the pages a whole site's tag or publish_static --queue asked for (a
  rebuild's backlog).
- services.publish_page(site_id=, host=, path=) renders one page and writes its file (or
  deletes it when the page no longer answers 200 to everyone): "written", "unchanged" (same
  bytes already on disk) or "removed".
- services.render_pending(seconds=None) drains the queue; tasks.render_pending is its
  Celery task (also on the beat every minute).
- services.republish_later(tags) notes a change and queues every affected page;
  services.affected_pages(tags) says which; services.pages_showing(tags) is the query.
- services.site_targets(site) / services.rebuild(targets, progress) — a full rebuild;
  services.pages_with_old_templates() — the pages a template deploy makes stale.
- services.problems(sites) — missing, modified, stale, old-template and never-written
  pages (the check_static command); rendering.file_fingerprint(file) reads one file's hash.
- rendering.render(host, path) renders without writing; rendering.write_atomically(file,
  body) places bytes (restoring a tampered file is write_atomically with a fresh render).

Commands: publish_static --site CODE | --all | --templates [--queue], check_static, and
public_hosts.

Serving: deploy/nginx/portal-public.conf does the lookup above with Django's production
security headers and Cache-Control: no-cache; `make run` has serving.PublishedFileMiddleware
(STATIC_PAGES_SERVE=1) do the same inside the application. A site offline (临时下线) or closed
loses its files (services.follow_site_availability, on the beat every minute) and is
republished whole when its window ends.

Distribution (分发) to the public web hosts, decided as push with acknowledgement: every file
written or deleted is noted (models.FileChange, via services.place / services.withdraw); each
models.PublicHost has a receiver (nginx WebDAV, deploy/nginx/portal-pages-receiver.conf) and
the last change it acknowledged; distribution.distribute (tasks.distribute, after each render
run and every minute) PUTs or DELETEs the changes after that position, each file once in its
latest state, and moves it only past what the receiver acknowledged. A host that was down
catches up at the next round; one that never acknowledged receives every published file.

Tamper detection (防篡改), the platform's one tamper check: tamper.check_served (hourly,
tasks.check_served_pages) hashes every file against its fingerprint and samples live answers at
MONITORING_SITE_ADDRESS, and the page that differs is written again (publish_page(force=True))
and sent again; the same run compares a batch of articles' text in the database with the text
approved when they were published (monitoring.tamper.check_article_texts), which the files
cannot show: they are rendered from the database. Nor does a render publish such a change:
publish_page asks monitoring.tamper.keep_approved_text before writing a page that shows an
article's body (its page and print view, pages.article_in_full), and on a difference keeps the
file served, puts the approved body back from the revision holding it (publishing.services.
restore_approved_body) and renders again, or, with no such revision, holds the page ("held")
for staff. Every finding goes through monitoring.tamper.raise_alert: a TamperAlert for the
inspectors and a notification to the operators (and the article's unit's liaisons).

Visits (访问量) of the pages a web server answers from files: the application counts the pages it
answers (monitoring.visits.VisitCountingMiddleware, which under `make run` sits above
serving.PublishedFileMiddleware and so counts the files it answers too). nginx answers the files
without the application, so portal-public.conf logs each such answer (log_format portal_pages,
one JSON line with an id unique to the request, the time, host, URI, method, status and type),
each public host's receiver lets the workers read that log (/visits-log/), nginx on the
application's own machine (a one-host installation, no PublicHost) leaves it in the file
STATIC_PAGES_LOCAL_ACCESS_LOG, and visit_log.import_visits (tasks.import_visits, every 5 minutes
before the counters' flush) adds the lines appended since its last read to monitoring's counters
by monitoring's rule of a visit (visits.is_visit). One reader for both, with one position per
log (models.VisitsLogPosition: the offset, and the digest of the log's first line for the log's
identity) that moves with the lines counted, once each; after a rotation the rest of
access.log.1 is read, then the new log (deploy/logrotate/portal-pages).
"""
