"""Names of what a public page shows, for the page cache: a page declares them, and a
change to the content they name makes the page stale.

Publishing does not know the cache (portal does, above it): a view declares through the
hook the cache middleware puts on the request, and does nothing when there is none.
"""


def depend(request, *tags):
    declare = getattr(request, "declare_page_content", None)
    if declare is not None:
        declare(*tags)


def site(site_id):
    """Everything on every page of a site: navigation, footer, offline notices."""
    return f"site:{site_id}"


def home(site_id):
    return f"home:{site_id}"


def column(column_id):
    return f"column:{column_id}"


def article(article_id):
    return f"article:{article_id}"


def catalogue(site_id):
    """The 信息公开 catalogue: every item with an index number."""
    return f"catalogue:{site_id}"


def all_articles(site_id):
    """Lists of all of a site's articles (sitemap.xml)."""
    return f"articles:{site_id}"


def services(site_id):
    """The 办事服务 catalogue and guides."""
    return f"services:{site_id}"


def messages(site_id):
    """The public message list (公开留言) and its statistics."""
    return f"messages:{site_id}"


def message(message_id):
    return f"message:{message_id}"
