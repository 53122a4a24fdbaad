"""Whose public page is this: the article, column and unit behind a URL path of a site."""

import re

from columns.models import Column
from columns.selectors import tree_paths
from publishing.models import Article

ARTICLE_PATH = re.compile(r"^/articles/(\d+)/")
COLUMN_PATH = re.compile(r"^/columns/(.+?)/?$")


def owners_of(site, paths):
    """{path: (article or None, column, unit)} for the paths that are article or column pages
    of site; two queries however many paths."""
    article_ids, column_paths = {}, {}
    for path in paths:
        if match := ARTICLE_PATH.match(path):
            article_ids[path] = int(match.group(1))
        elif match := COLUMN_PATH.match(path):
            column_paths[path] = match.group(1).strip("/")
    articles = (
        Article.objects.select_related("column", "unit").in_bulk(set(article_ids.values()))
        if article_ids
        else {}
    )
    columns = {}
    if column_paths:
        by_path = {path: pk for pk, path in tree_paths([site.pk]).items()}
        wanted = {p: by_path[p] for p in column_paths.values() if p in by_path}
        found = Column.objects.select_related("unit").in_bulk(wanted.values())
        columns = {p: found[pk] for p, pk in wanted.items() if pk in found}
    owners = {}
    for path, pk in article_ids.items():
        if (article := articles.get(pk)) is not None:
            owners[path] = (article, article.column, article.unit)
    for path, column_path in column_paths.items():
        if (column := columns.get(column_path)) is not None:
            owners[path] = (None, column, column.unit)
    return owners
