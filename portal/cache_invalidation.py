"""What each content change makes stale in the public page cache, and the receivers that say so.

Precise, not global: publishing or withdrawing an article makes stale its own page, the pages
of the columns it is listed in (and their ancestors, which list their sub-columns' items), the
pages of the policy or interpretations it links to, its site's homepage only when it can appear
there, the 信息公开 catalogue only when it has an index number, and the sitemap.xml. Every other
page keeps being served from the cache.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from columns.models import Column, OfflineWindow, Site, SiteHost
from disclosure.models import AppealCount, DisclosureRequest
from disclosure.selectors import report_page_tag
from interaction.models import Message
from publishing import page_tags
from publishing.models import (
    Article,
    ArticleStatus,
    Attachment,
    HeadlineDirective,
    ServiceDocument,
    ServiceItem,
    ServiceMaterial,
)
from publishing.selectors import homepage_section_columns
from publishing.signals import article_published, article_withdrawn

from .caching import forget_site_state, invalidate


def _homepage_section_ids(site_id):
    """The columns whose items the site's homepage lists, with their sub-columns' items, as
    the homepage itself chooses them: top-level ones too where they are sections (edu)."""
    columns = list(Column.objects.filter(site_id=site_id).order_by("tree_id", "lft"))
    return {c.pk for c in homepage_section_columns(columns)}


def article_tags(article):
    """The tags of every page that shows article (see the module docstring)."""
    columns = [article.column, *article.extra_columns.all()]
    tags = {page_tags.article(article.pk)}
    if article.policy_id:
        tags.add(page_tags.article(article.policy_id))
    tags.update(
        page_tags.article(pk) for pk in article.interpretations.values_list("pk", flat=True)
    )
    for column in columns:
        lineage = column.get_ancestors(include_self=True)
        tags.update(page_tags.column(c.pk) for c in lineage)
        site_id = column.site_id
        tags.add(page_tags.all_articles(site_id))
        if article.index_number:
            tags.add(page_tags.catalogue(site_id))
        sections = _homepage_section_ids(site_id)
        if any(c.pk in sections for c in lineage):
            tags.add(page_tags.home(site_id))
    for site_id in HeadlineDirective.objects.filter(article=article).values_list(
        "site_id", flat=True
    ):
        tags.add(page_tags.home(site_id))
    return tags


@receiver(article_published)
@receiver(article_withdrawn)
def _article_went_public_or_away(sender, article, **kwargs):
    invalidate(*article_tags(article))


@receiver(post_save, sender=Article)
def _live_article_changed(sender, instance, update_fields=None, **kwargs):
    # Publishing and withdrawing change the status and send their own signals above; this is
    # for edits of an article that stays online (validity 失效/废止, corrections).
    if instance.status == ArticleStatus.PUBLISHED and not (
        update_fields and "status" in update_fields
    ):
        invalidate(*article_tags(instance))


@receiver(m2m_changed, sender=Article.extra_columns.through)
def _article_columns_changed(sender, instance, action, pk_set=None, **kwargs):
    if action.startswith("post_") and isinstance(instance, Article):
        if instance.status == ArticleStatus.PUBLISHED:
            invalidate(*article_tags(instance))
            invalidate(*(page_tags.column(pk) for pk in pk_set or ()))


@receiver(post_save, sender=Attachment)
@receiver(post_delete, sender=Attachment)
def _attachment_changed(sender, instance, **kwargs):
    invalidate(page_tags.article(instance.article_id))


@receiver(post_save, sender=HeadlineDirective)
def _headline_ordered(sender, instance, **kwargs):
    invalidate(page_tags.home(instance.site_id))


@receiver(post_save, sender=Column)
@receiver(post_delete, sender=Column)
def _column_changed(sender, instance, **kwargs):
    # Names and places of columns are in every page's navigation, breadcrumbs and site map.
    invalidate(page_tags.site(instance.site_id), page_tags.column(instance.pk))


@receiver(post_save, sender=Site)
def _site_changed(sender, instance, **kwargs):
    invalidate(page_tags.site(instance.pk))
    forget_site_state(instance.pk)


@receiver(post_save, sender=SiteHost)
@receiver(post_delete, sender=SiteHost)
def _host_changed(sender, instance, **kwargs):
    # Every site's pages may link to this site's objects at its primary host (columns.site_urls).
    invalidate(*(page_tags.site(pk) for pk in Site.objects.values_list("pk", flat=True)))


@receiver(post_save, sender=OfflineWindow)
def _offline_scheduled(sender, instance, **kwargs):
    # The notice appears on every page of the site at once.
    invalidate(page_tags.site(instance.site_id))
    forget_site_state(instance.site_id)


@receiver(post_save, sender=Message)
def _message_changed(sender, instance, **kwargs):
    # Any message moves the list's statistics (received, answered, overdue); its own page
    # shows it once it is answered and made public (公开).
    invalidate(page_tags.messages(instance.site_id), page_tags.message(instance.pk))


@receiver(post_save, sender=DisclosureRequest)
@receiver(post_save, sender=AppealCount)
def _disclosure_figures_changed(sender, instance, **kwargs):
    # The 年报 page counts requests by state: any change may move its table.
    invalidate(report_page_tag(instance.site_id))


def _service_site(item_id):
    return ServiceItem.objects.filter(pk=item_id).values_list("site_id", flat=True).first()


@receiver(post_save, sender=ServiceItem)
@receiver(post_delete, sender=ServiceItem)
def _service_item_changed(sender, instance, **kwargs):
    invalidate(page_tags.services(instance.site_id))


@receiver(post_save, sender=ServiceMaterial)
@receiver(post_delete, sender=ServiceMaterial)
@receiver(post_save, sender=ServiceDocument)
@receiver(post_delete, sender=ServiceDocument)
def _service_part_changed(sender, instance, **kwargs):
    invalidate(page_tags.services(_service_site(instance.item_id)))
