"""网站地址 — the one place that turns a path of a site into the address other sites' pages,
feeds, sitemaps and the open-data API give for it.

Every site answers only on its own host names (portal.middleware.SiteMiddleware), so a link
from one site's page to an object of another site must carry that site's primary host:
relative, it would ask the wrong site and get a 404. Links within a site stay relative.
The scheme (and, on a development server, the port) come from settings.SITE_SCHEME and
settings.SITE_PORT, never from the request: a cached page is the same for every visitor.
"""

from django.conf import settings

from .selectors import primary_hosts


def site_origin(site):
    """ "https://edu.example.gov.cn" for a Site (or its id); "" for a site with no host name."""
    hostname = primary_hosts().get(getattr(site, "pk", site))
    if not hostname:
        return ""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{hostname}{port}"


def absolute_url(site, path):
    """The address of path ("/articles/12/") on site (a Site or its id), scheme and host."""
    return f"{site_origin(site)}{path}"


def link_from(here, obj):
    """The href a page of site here gives to obj, a public object with site_id and
    get_absolute_url() (article, column, service item, message, consultation, ...): its path
    when obj belongs to here, its absolute address on its own site otherwise."""
    path = obj.get_absolute_url()
    if here is not None and obj.site_id == getattr(here, "pk", here):
        return path
    return absolute_url(obj.site_id, path)


def object_url(obj):
    """obj's absolute address on its own site, for readers outside any page (API, feeds)."""
    return absolute_url(obj.site_id, obj.get_absolute_url())
