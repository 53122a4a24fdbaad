"""Writing the search index: a document in, one SearchEntry per site that shows it.

Articles are indexed when published and dropped when withdrawn or expired, service items
whenever they are saved or deleted (portal.receivers); rebuild() makes the whole index again
from what is public now.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from publishing.models import Article, ArticleStatus, ServiceItem
from publishing.selectors import published_articles

from ..models import SearchEntry, SearchKind, SearchSource
from .segmentation import index_terms

#: Closing block tags become spaces so that paragraphs do not run into one another.
_BLOCK_END = re.compile(r"<(?:br|/p|/div|/li|/h[1-6]|/td|/th|/tr|/blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")

BATCH = 500


def plain_text(markup):
    """The readable text of sanitised rich-text HTML."""
    text = _TAG.sub("", _BLOCK_END.sub(" ", markup or ""))
    return _SPACE.sub(" ", html.unescape(text)).strip()


@dataclass
class Document:
    """What the index needs of anything public: where it is shown and what it says."""

    source: str
    object_id: int
    kind: str
    url: str
    title: str
    text: str
    published_at: datetime
    expires_at: datetime | None = None
    #: {site_id: column_id or None} — the sites showing the document, and under which column.
    placements: dict = field(default_factory=dict)

    def entries(self):
        title_terms = index_terms(self.title)
        body_terms = index_terms(self.text)
        return [
            SearchEntry(
                site_id=site_id,
                source=self.source,
                object_id=self.object_id,
                kind=self.kind,
                url=self.url,
                title=self.title,
                text=self.text,
                title_terms=title_terms,
                body_terms=body_terms,
                column_id=column_id,
                published_at=self.published_at,
                expires_at=self.expires_at,
            )
            for site_id, column_id in self.placements.items()
        ]


def article_document(article):
    """An article is shown on its column's site and on the sites of its extra columns."""
    placements = {article.column.site_id: article.column_id}
    for column in article.extra_columns.all():
        placements.setdefault(column.site_id, column.pk)
    searchable = [
        article.summary,
        plain_text(article.body),
        article.document_number,
        article.index_number or "",
        article.issuing_body,
        article.source,
    ]
    return Document(
        source=SearchSource.ARTICLE,
        object_id=article.pk,
        kind=article.kind,
        url=article.get_absolute_url(),
        title=article.title,
        text=" ".join(part for part in searchable if part),
        published_at=article.published_at,
        expires_at=article.expires_at,
        placements=placements,
    )


def service_item_document(item):
    """A service item (办事事项) is shown in its site's 办事服务 catalogue."""
    searchable = [
        item.summary,
        item.conditions,
        item.procedure,
        item.legal_basis,
        item.office,
        item.time_limit,
        item.fees,
    ]
    return Document(
        source=SearchSource.SERVICE_ITEM,
        object_id=item.pk,
        kind=SearchKind.SERVICE,
        url=item.get_absolute_url(),
        title=item.name,
        text=_SPACE.sub(" ", " ".join(part for part in searchable if part)).strip(),
        published_at=item.updated_at,
        placements={item.site_id: None},
    )


@transaction.atomic
def replace(source, object_id, document=None):
    """Drop what the index holds for an object and store document (None: drop only)."""
    SearchEntry.objects.filter(source=source, object_id=object_id).delete()
    if document is not None:
        SearchEntry.objects.bulk_create(document.entries())


def index_article(article):
    """Index article as it is now: its entries if it is published, none otherwise."""
    article = Article.objects.select_related("column").get(pk=article.pk)
    public = article.status == ArticleStatus.PUBLISHED
    replace(SearchSource.ARTICLE, article.pk, article_document(article) if public else None)


def index_service_item(item, *, deleted=False):
    """Index a service item as it is now: its entry if it is published, none otherwise."""
    public = item.is_published and not deleted
    replace(SearchSource.SERVICE_ITEM, item.pk, service_item_document(item) if public else None)


def documents():
    """Every document the public may see now, for a full rebuild."""
    articles = published_articles().select_related("column").prefetch_related("extra_columns")
    for article in articles.iterator(chunk_size=BATCH):
        yield article_document(article)
    for item in ServiceItem.objects.filter(is_published=True).iterator(chunk_size=BATCH):
        yield service_item_document(item)


def store(documents):
    """Write the entries of many documents in batches; returns the number written."""
    written = 0
    batch = []
    for document in documents:
        batch.extend(document.entries())
        if len(batch) >= BATCH:
            written += len(SearchEntry.objects.bulk_create(batch))
            batch = []
    return written + len(SearchEntry.objects.bulk_create(batch))


@transaction.atomic
def rebuild():
    """Make the whole index again; returns the number of entries written."""
    SearchEntry.objects.all().delete()
    return store(documents())
