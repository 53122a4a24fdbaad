"""链接检查 — a bounded, polite crawl of a site's published pages that checks every link on
them and traces each unusable one to the article, column and unit responsible.

Pages are the homepage, every published article's page and the internal pages linked from
them, up to MONITORING_CRAWL_MAX_PAGES. Links are checked once per run, at most
MONITORING_CRAWL_PER_HOST requests to a host at a time. Broken, slow and malformed links are
findings; nothing a page contains stops the crawl.
"""

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.models import Site, SiteHost
from publishing.selectors import published_articles

from .http_fetch import Fetcher
from .models import BrokenLink, LinkCheckRun
from .page_owners import owners_of

#: Schemes that are not pages to load.
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")
SEARCH_FIELD_NAMES = {"q", "query", "keyword", "keywords", "searchword", "wd", "kw"}


class PageLinks(HTMLParser):
    """The links of one HTML page (a href, img/iframe/script src, link href), whether it has
    a search box, and its text (for the footer items)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.has_search = False
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        target = attrs.get("href") if tag in ("a", "link", "area") else None
        if tag in ("img", "iframe", "script", "embed", "source"):
            target = attrs.get("src")
        if tag == "link" and (attrs.get("rel") or "") in ("canonical", "alternate", "preconnect"):
            target = None
        if target is not None:
            self.links.append(target.strip())
            if "sitemap" in target or "search" in target.split("?")[0]:
                self.text.append(target)
        if tag == "input" and (
            attrs.get("type") == "search" or (attrs.get("name") or "") in SEARCH_FIELD_NAMES
        ):
            self.has_search = True
        if tag == "form" and (
            attrs.get("role") == "search" or "search" in (attrs.get("action") or "")
        ):
            self.has_search = True

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    parser = PageLinks()
    parser.feed(html or "")
    parser.close()
    return parser


def resolve(page, href):
    """The absolute address of href on page; a malformed one stays as written (a finding)."""
    try:
        return urldefrag(urljoin(page, href)).url
    except ValueError:
        return href


def site_base_url(site):
    """The address the crawler and probes request a site at."""
    return f"{settings.MONITORING_SITE_SCHEME}://{site.primary_host}/"


def footer_items(site):
    """(label, evidence) pairs the homepage footer must show [Q§11]; evidence is text any of
    which on the page counts."""
    return [
        (_("site identification code"), [site.site_code]),
        (_("ICP filing number"), [site.icp_number]),
        (_("public security filing number"), [site.police_number, site.police_number_code]),
        (_("sponsoring organisation"), [site.sponsor]),
        (_("“find errors” entry"), ["找错"]),
        (_("site map"), ["网站地图", "sitemap"]),
    ]


class Crawl:
    """One run over one site; run() stores the LinkCheckRun and its BrokenLinks."""

    def __init__(self, site, *, base_url=None, max_pages=None, fetcher=None):
        self.site = site
        self.base_url = base_url or site_base_url(site)
        self.host = urlsplit(self.base_url).netloc
        self.max_pages = max_pages or settings.MONITORING_CRAWL_MAX_PAGES
        self.fetcher = fetcher or Fetcher()
        self.found = []  # (page url, link url) in the order seen
        # Pages link to the platform's other sites at their hosts (columns.site_urls).
        self.platform_hosts = set(SiteHost.objects.values_list("hostname", flat=True))

    def is_internal(self, url):
        try:
            return urlsplit(url).netloc == self.host
        except ValueError:
            return False

    def is_platform(self, url):
        """A page of one of the platform's sites: this one or another, at one of its hosts."""
        try:
            return self.is_internal(url) or urlsplit(url).hostname in self.platform_hosts
        except ValueError:
            return False

    def seeds(self):
        articles = published_articles(self.site).filter(column__site=self.site)
        urls = [self.base_url]
        urls += [urljoin(self.base_url, a.get_absolute_url()) for a in articles[: self.max_pages]]
        return urls

    def run(self):
        run = LinkCheckRun.objects.create(
            site=self.site, started_at=timezone.now(), base_url=self.base_url
        )
        pages = self._walk(run)
        links = list(dict.fromkeys(link for _page, link in self.found))
        with ThreadPoolExecutor(max_workers=settings.MONITORING_CRAWL_WORKERS) as pool:
            outcomes = dict(zip(links, pool.map(self._check, links), strict=True))
        run.links_checked = len(links)
        run.pages_crawled = pages
        self._record(run, outcomes)
        run.finished_at = timezone.now()
        run.save()
        return run

    def _check(self, link):
        # The platform's own pages at its configured address (MONITORING_SITE_ADDRESS), as
        # the probes reach them; any other link only if public.
        return self.fetcher.fetch(link, public_only=not self.is_platform(link))

    def _walk(self, run):
        seeds = self.seeds()
        queue = deque(seeds)
        seen = set(queue)
        failed_pages = []
        crawled = 0
        with ThreadPoolExecutor(max_workers=settings.MONITORING_CRAWL_WORKERS) as pool:
            while queue and crawled < self.max_pages:
                batch = [queue.popleft() for _i in range(min(len(queue), self.max_pages - crawled))]
                fetched = pool.map(lambda url: self.fetcher.fetch(url, read_html=True), batch)
                for page, outcome in zip(batch, fetched, strict=True):
                    crawled += 1
                    if not outcome.ok:
                        failed_pages.append(page)
                        continue
                    parsed = parse(outcome.html)
                    if page == self.base_url:
                        self._homepage_checks(run, parsed)
                    for href in parsed.links:
                        if not href or href.startswith(SKIPPED_SCHEMES):
                            continue
                        link = resolve(page, href)
                        self.found.append((page, link))
                        if self.is_internal(link) and link not in seen:
                            seen.add(link)
                            queue.append(link)
        # A published page no other page links to and that does not load is itself a finding.
        linked = {link for _page, link in self.found}
        self.found += [(page, page) for page in failed_pages if page not in linked]
        return crawled

    def _homepage_checks(self, run, parsed):
        text = "".join(parsed.text)
        run.homepage_has_search = parsed.has_search
        run.footer_missing = [
            str(label)
            for label, evidence in footer_items(self.site)
            if not any(item and item in text for item in evidence)
        ]

    def _record(self, run, outcomes):
        by_path = owners_of(self.site, {urlsplit(page).path for page, _link in self.found})
        bodies = {}
        template_links_seen = set()
        rows, seen_pairs = [], set()
        for page, link in self.found:
            outcome = outcomes[link]
            if outcome.ok or (page, link) in seen_pairs:
                continue
            seen_pairs.add((page, link))
            on_homepage = page == self.base_url
            article, column, unit = by_path.get(urlsplit(page).path, (None, None, None))
            if article is not None and page != link:
                if article.pk not in bodies:
                    bodies[article.pk] = {resolve(page, href) for href in parse(article.body).links}
                if link not in bodies[article.pk]:
                    # The page's frame (menus, footer), not the article: counted once.
                    article, column, unit = None, None, None
            if not on_homepage and article is None and column is None:
                if link in template_links_seen:
                    continue
                template_links_seen.add(link)
            rows.append(
                BrokenLink(
                    run=run,
                    page_url=page[:500],
                    on_homepage=on_homepage,
                    url=link,
                    external=not self.is_internal(link),
                    status_code=outcome.status_code,
                    problem=outcome.problem[:200],
                    article=article,
                    column=column,
                    unit=unit,
                )
            )
        BrokenLink.objects.bulk_create(rows)
        run.broken_on_homepage = sum(r.on_homepage for r in rows)
        run.broken_elsewhere = len(rows) - run.broken_on_homepage


def crawl_site(site, **options):
    return Crawl(site, **options).run()


def crawl_all():
    """The nightly crawl of every open site; one site's trouble never stops the next."""
    return [crawl_site(site) for site in Site.objects.filter(status=Site.Status.OPEN)]
