"""RSS per column: the latest published articles of a column and its sub-columns."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _

from columns.site_urls import absolute_url, object_url

from . import page_tags
from .selectors import ColumnTree, public_articles_in

FEED_SIZE = 20


class ColumnFeed(Feed):
    """栏目订阅 — /columns/<path>/rss.xml."""

    def get_object(self, request, path):
        column = ColumnTree(request.site).at_path(path)
        page_tags.depend(request, page_tags.column(column.pk), page_tags.site(request.site.pk))
        return column

    def title(self, column):
        return f"{column.name} - {column.site.name}"

    def link(self, column):
        return absolute_url(column.site_id, column.public_url)

    def description(self, column):
        return column.description or _("The latest items of the column “%(name)s”.") % {
            "name": column.name
        }

    def items(self, column):
        return public_articles_in(column)[:FEED_SIZE]

    def item_link(self, article):
        # An article shown here through an extra column is read on its own site.
        return object_url(article)

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary or article.title

    def item_pubdate(self, article):
        return article.published_at

    def item_author_name(self, article):
        return article.byline or article.unit.name
