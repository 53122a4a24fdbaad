"""链接检查 — links to listed advertising/gambling domains, to missing or unpublished pages,
and external links that do not answer.

External links are fetched with short timeouts, a few at a time, under one overall time
budget, and each answer is cached for a while: a slow or dead foreign server can delay a
save by at most the budget and never fails it.
"""

import http.client
import re
from concurrent.futures import ThreadPoolExecutor, wait
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from columns.models import Column

from .. import outbound
from ..models import Article, ArticleStatus
from .findings import Finding, Rule, Severity

#: A link written out in plain text (citizen messages, attachments): with a scheme or www.
BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'，。；、）)]+", re.IGNORECASE)
ARTICLE_PATH = re.compile(r"^/articles/(\d+)/?$")
COLUMN_PATH = re.compile(r"^/columns/(.+?)/?$")

LINK_TIMEOUT_SECONDS = 3
LINK_BUDGET_SECONDS = 8
LINK_WORKERS = 4
LINK_RESULT_CACHE_SECONDS = 3600


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def links_in_html(html):
    """The href of every <a> in html, in order."""
    collector = _LinkCollector()
    collector.feed(html or "")
    collector.close()
    return collector.hrefs


def links_in_text(text):
    """(url, start, end) for each URL written out in plain text."""
    return [(m.group(), m.start(), m.end()) for m in BARE_URL.finditer(text or "")]


def host_of(url):
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def blocked_link_finding(url, category, start=0, end=0, source=""):
    return Finding(
        rule=Rule.BLOCKED_LINK,
        severity=Severity.BLOCK,
        category=category,
        match=url,
        start=start,
        end=end,
        suggestion=_("Remove the link: government sites must not link to such sites."),
        source=source,
    )


def _warn(rule, url, suggestion, source):
    return Finding(
        rule=rule,
        severity=Severity.WARN,
        category=str(_("Link")),
        match=url,
        start=0,
        end=0,
        suggestion=suggestion,
        source=source,
    )


def _internal_problem(path):
    """Why an internal path is not a live page, or "" when it is."""
    article = ARTICLE_PATH.match(path)
    if article:
        status = (
            Article.objects.filter(pk=int(article.group(1)))
            .values_list("status", flat=True)
            .first()
        )
        if status is None:
            return _("The linked article does not exist.")
        if status != ArticleStatus.PUBLISHED:
            return _("The linked article is not published (%(status)s).") % {
                "status": ArticleStatus(status).label
            }
        return ""
    column = COLUMN_PATH.match(path)
    if column:
        slugs = column.group(1).split("/")
        if not Column.objects.filter(slug=slugs[-1]).exists():
            return _("The linked column does not exist.")
    return ""


def external_link_fails(url):
    """Why url does not answer with a page, or "" when it does; cached for an hour.

    Only public addresses are requested (publishing.outbound); a link to any other address
    gets the same answer whatever listens there.
    """
    key = f"publishing:link:{url}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    problem = ""
    try:
        status = outbound.fetch(url, method="HEAD", timeout=LINK_TIMEOUT_SECONDS).status
        if status in (403, 405, 501):
            # Some servers refuse HEAD; ask for the page itself before calling it broken.
            status = outbound.fetch(url, timeout=LINK_TIMEOUT_SECONDS).status
        if status >= 400:
            problem = _("The server answered %(code)s.") % {"code": status}
    except outbound.RefusedAddress:
        problem = _("The link points to an address inside a private network; it was not opened.")
    except outbound.TooManyRedirects:
        problem = _("The link redirects too many times.")
    except (OSError, http.client.HTTPException, ValueError) as error:
        problem = _("No answer from the server (%(error)s).") % {"error": error}
    cache.set(key, problem, LINK_RESULT_CACHE_SECONDS)
    return problem


def check_links(hrefs, *, lexicon, internal_hosts, source="", fetch=True):
    """Findings for hrefs: blocked domains (block), dead internal and external links (warn)."""
    findings = []
    external = []
    for href in dict.fromkeys(hrefs):
        scheme = urlsplit(href).scheme.lower() if "://" in href else ""
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        host = host_of(href)
        if host:
            category = lexicon.blocked_category(host)
            if category is not None:
                findings.append(blocked_link_finding(href, category, source=source))
                continue
        if not host or host in internal_hosts:
            path = urlsplit(href).path if host else href.split("?")[0].split("#")[0]
            problem = _internal_problem(path)
            if problem:
                findings.append(_warn(Rule.INTERNAL_LINK, href, problem, source))
        elif scheme in ("http", "https") and fetch:
            external.append(href)
    findings.extend(_check_external(external, source))
    return findings


def _check_external(urls, source):
    if not urls:
        return []
    budget = getattr(settings, "CONTENT_CHECK_LINK_BUDGET_SECONDS", LINK_BUDGET_SECONDS)
    pool = ThreadPoolExecutor(max_workers=LINK_WORKERS)
    futures = {pool.submit(external_link_fails, url): url for url in urls}
    done, not_done = wait(futures, timeout=budget)
    pool.shutdown(wait=False, cancel_futures=True)
    findings = []
    for future, url in futures.items():
        if future in not_done:
            problem = _("Not checked in time; open it yourself.")
        else:
            problem = future.result()
        if problem:
            findings.append(_warn(Rule.EXTERNAL_LINK, url, problem, source))
    return findings
