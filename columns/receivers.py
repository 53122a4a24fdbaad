"""Keeps caches of the structure current when sites and host names change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Site, SiteHost
from .selectors import forget_host_map


@receiver([post_save, post_delete], sender=SiteHost)
@receiver([post_save, post_delete], sender=Site)
def _forget_host_map(**kwargs):
    forget_host_map()
