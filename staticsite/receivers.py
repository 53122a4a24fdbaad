"""The static publisher's reaction to content changes: the same tags the page cache is made
stale with (portal.cache_invalidation) queue the pages that show them."""

from django.conf import settings
from django.dispatch import receiver

from portal.caching import content_changed

from .services import republish_later


@receiver(content_changed)
def _republish_pages(sender, tags, **kwargs):
    if settings.STATIC_PAGES_ENABLED:
        republish_later(tags)
