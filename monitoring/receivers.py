"""Monitoring's reactions to publishing: fingerprint what is published, forget what is not."""

from django.dispatch import receiver

from publishing.signals import article_published, article_withdrawn

from .tamper import drop_fingerprint, take_fingerprint


@receiver(article_published)
def _fingerprint_published(sender, article, **kwargs):
    take_fingerprint(article)


@receiver(article_withdrawn)
def _forget_withdrawn(sender, article, **kwargs):
    drop_fingerprint(article)
