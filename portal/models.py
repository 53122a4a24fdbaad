"""The search index of the public sites: one entry per document a site shows to the public.

Portal composes the apps below it, so its index takes any kind of document (articles today,
service items and whatever comes next) without those apps knowing about search.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models import ArticleKind


class SearchKind(models.TextChoices):
    """信息类型 — what a search result is; the article kinds plus 办事服务."""

    ARTICLE = ArticleKind.ARTICLE.value, _("Article")
    POLICY = ArticleKind.POLICY.value, _("Policy document")
    INTERPRETATION = ArticleKind.INTERPRETATION.value, _("Policy interpretation")
    SERVICE = "service", _("Service item")


class SearchSource(models.TextChoices):
    """The model an entry was made from, with object_id its primary key."""

    ARTICLE = "article", _("Article")
    SERVICE_ITEM = "service_item", _("Service item")


class SearchEntry(models.Model):
    """搜索索引条目 — a published document as one site's search sees it.

    title_terms and body_terms hold the jieba-segmented words, then each Chinese character and
    character pair, separated by spaces, so the database's own full-text machinery can index
    Chinese (portal.search.segmentation). On PostgreSQL the stored generated
    columns `document` (tsvector of all words) and `title_document` (title words), each with
    a GIN index, are added by migrations 0001/0002 and are therefore always current; on
    SQLite an FTS5 table `portal_searchentry_fts` is kept in step by triggers. None is a
    model field because each exists on one database only; portal.search.backends is the one
    place that reads them.
    """

    site = models.ForeignKey(
        "columns.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    source = models.CharField(_("source"), max_length=20, choices=SearchSource.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    kind = models.CharField(_("type"), max_length=20, choices=SearchKind.choices)
    url = models.CharField(_("URL"), max_length=300)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True, help_text=_("Plain text, for snippets."))
    title_terms = models.TextField(_("title words"), blank=True)
    body_terms = models.TextField(_("body words"), blank=True)
    column = models.ForeignKey(
        "columns.Column",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("column"),
    )
    published_at = models.DateTimeField(_("publish time"))
    expires_at = models.DateTimeField(_("expiry time"), null=True, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "source", "object_id"], name="search_entry_once_per_site"
            ),
        ]
        indexes = [
            models.Index(fields=["source", "object_id"], name="search_entry_object"),
            models.Index(fields=["site", "-published_at"], name="search_entry_site_date"),
            # The service items shown first are found without reading the articles' entries.
            models.Index(fields=["site", "kind", "-published_at"], name="search_entry_site_kind"),
        ]

    def __str__(self):
        return self.title
