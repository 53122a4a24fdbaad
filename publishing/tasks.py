"""Celery tasks of publishing: thin wrappers around services, safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def publish_and_expire():
    """Every minute: publish scheduled items that are due, expire items past their expiry."""
    return {
        "published": services.publish_due_articles(),
        "expired": services.expire_due_articles(),
    }


@shared_task
def alert_publishing_deadlines():
    """Every minute: warn before an approved item's publishing deadline passes (once each)."""
    return services.alert_deadlines()
