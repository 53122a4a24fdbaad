"""Portal's reactions to the apps below it: the search index follows what is published."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from publishing.models import ServiceItem
from publishing.signals import article_published, article_withdrawn

from .search.indexing import index_article, index_service_item


@receiver(article_published)
@receiver(article_withdrawn)
def _reindex_article(sender, article, **kwargs):
    # Sent after the publishing transaction committed; the article is re-read, so a withdrawal
    # (or expiry) removes its entries and a publication stores what is now public.
    index_article(article)


@receiver(post_save, sender=ServiceItem)
def _reindex_service_item(sender, instance, **kwargs):
    # In the saving transaction: the item and its index entry change together or not at all.
    index_service_item(instance)


@receiver(post_delete, sender=ServiceItem)
def _drop_service_item(sender, instance, **kwargs):
    index_service_item(instance, deleted=True)
