"""Celery tasks of columns: thin wrappers around services, safe to run twice."""

from celery import shared_task

from . import notifications


@shared_task
def send_pending_notification_emails():
    """Every 5 minutes: the e-mails of notifications whose first attempt was lost."""
    return notifications.send_pending_emails()
