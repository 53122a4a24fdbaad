"""Celery beat entries of columns (merged by portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "columns-pending-notification-emails": {
        "task": "columns.tasks.send_pending_notification_emails",
        "schedule": crontab(minute="*/5"),
    },
}
