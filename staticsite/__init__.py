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
  last committed change under a tag. models.PendingRender is the queue, one row per page.
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

Tamper detection (防篡改): tamper.check_served (hourly) hashes every file against its
fingerprint and samples live answers at MONITORING_SITE_ADDRESS; a difference notifies the
operators and the page is written again (publish_page(force=True)) and sent again.
"""
