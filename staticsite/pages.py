"""Which public pages of a site are published as files, and which pages a content tag names
(those not written yet included: a new article's page, a list's new last page).

Only pages that are the same for every visitor are here: search, the mailbox's forms and
tracking, surveys, captchas, live interview data and the API stay dynamic. A list's later
pages are its path with ?page=N; its other query strings (the catalogue's filters) are
answered by the application.
"""

import re
from math import ceil

from columns.models import Column, Site, SiteHost
from interaction.selectors import published_messages
from interaction.views import MESSAGE_PAGE_SIZE
from publishing.models import Article
from publishing.selectors import (
    ColumnTree,
    public_articles_in,
    public_service_items,
    published_articles,
)
from publishing.views import ANNUAL_REPORTS_SLUG, PAGE_SIZE

#: Pages of every site that list nothing paginated.
FIXED_PATHS = (
    "/",
    "/sitemap/",
    "/sitemap.xml",
    "/robots.txt",
    "/xxgk/",
    "/xxgk/guide/",
    "/xxgk/annual-reports/",
    "/services/",
)


def paginated(base, count, page_size):
    """A list's pages: base, then base?page=N up to the last page (at least one page)."""
    pages = max(1, ceil(count / page_size))
    return [base, *(f"{base}?page={n}" for n in range(2, pages + 1))]


def column_paths(column, url):
    """栏目页 with its pagination, and its feed."""
    count = public_articles_in(column).count()
    return [*paginated(url, count, PAGE_SIZE), f"{url}rss.xml"]


def catalogue_paths(site):
    count = published_articles(site).filter(index_number__isnull=False).count()
    return paginated("/xxgk/catalogue/", count, PAGE_SIZE)


def message_list_paths(site):
    return paginated("/interaction/messages/", published_messages(site).count(), MESSAGE_PAGE_SIZE)


def article_paths(pk):
    return [f"/articles/{pk}/", f"/articles/{pk}/print/"]


_ARTICLE_PATH = re.compile(r"/articles/(\d+)/(?:print/)?")


def article_in_full(path):
    """The pk of the article whose body the page at path shows (its page and its print view,
    article_paths; lists and feeds show titles and summaries only), or None."""
    match = _ARTICLE_PATH.fullmatch(path)
    return int(match[1]) if match else None


def site_paths(site):
    """Every published page of site, as paths."""
    paths = list(FIXED_PATHS)
    paths += catalogue_paths(site)
    paths += [item.get_absolute_url() for item in public_service_items(site)]
    for column in ColumnTree(site).columns:
        paths += column_paths(column, column.public_url)
    for pk in published_articles(site).values_list("pk", flat=True).iterator():
        paths += article_paths(pk)
    paths += message_list_paths(site)
    messages = published_messages(site).values_list("pk", flat=True)
    paths += [f"/interaction/messages/{pk}/" for pk in messages]
    return paths


def _article_sites(pk):
    """The sites an article is public on: its column's and those of its extra columns
    (信息引用 — shown on other sites)."""
    if not published_articles().filter(pk=pk).exists():
        return set()
    article = Article.objects.get(pk=pk)
    return {article.column.site_id, *article.extra_columns.values_list("site_id", flat=True)}


def _column_paths(pk):
    column = Column.objects.filter(pk=pk).first()
    if column is None:
        return {}
    tree = ColumnTree(column.site)
    column = tree.by_pk[pk]
    paths = column_paths(column, column.public_url)
    if column.slug == ANNUAL_REPORTS_SLUG:
        paths.append("/xxgk/annual-reports/")
    return {column.site_id: paths}


def _whole_site(pk):
    site = Site.objects.filter(pk=pk).first()
    return {pk: site_paths(site)} if site else {}


def _services(pk):
    items = [item.get_absolute_url() for item in public_service_items(Site(pk=pk))]
    return {pk: ["/services/", *items]}


def _message(pk):
    site_id = published_messages().filter(pk=pk).values_list("site_id", flat=True).first()
    return {site_id: [f"/interaction/messages/{pk}/"]} if site_id else {}


#: Per tag kind (publishing.page_tags): {site id: [paths]} of the pages a tag names.
PAGES_NAMED_BY = {
    "site": _whole_site,
    "home": lambda pk: {pk: ["/"]},
    "column": _column_paths,
    "article": lambda pk: {site_id: article_paths(pk) for site_id in _article_sites(pk)},
    "catalogue": lambda pk: {pk: ["/xxgk/", *catalogue_paths(Site(pk=pk))]},
    "articles": lambda pk: {pk: ["/sitemap.xml"]},
    "services": _services,
    "messages": lambda pk: {pk: message_list_paths(Site(pk=pk))},
    "message": _message,
}


def tag_paths(tag):
    """{site id: [paths]} of the pages tag names, whether or not they were written yet. A
    kind not known here names no new page: the pages written with it are re-rendered."""
    kind, _, ident = tag.partition(":")
    if kind not in PAGES_NAMED_BY or not ident.isdigit():
        return {}
    return PAGES_NAMED_BY[kind](int(ident))


def hosts_of(site_ids):
    """{site id: [host names]}: every host a site answers on gets its own files (each page
    carries its own absolute address)."""
    hosts = {}
    for site_id, hostname in SiteHost.objects.filter(site_id__in=site_ids).values_list(
        "site_id", "hostname"
    ):
        hosts.setdefault(site_id, []).append(hostname.lower())
    return hosts
