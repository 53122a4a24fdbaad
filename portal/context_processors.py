"""Template context every page needs: the site the request is for and its main navigation."""

from publishing.selectors import ColumnTree


def current_site(request):
    site = getattr(request, "site", None)
    # Read only when a page that did not build it (search, 互动交流, 404) shows the navigation.
    nav_columns = (lambda: ColumnTree(site).roots()) if site else ()
    return {"site": site, "nav_columns": nav_columns}
