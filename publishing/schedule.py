"""Celery beat entries of publishing (merged by portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "publishing-publish-and-expire": {
        "task": "publishing.tasks.publish_and_expire",
        "schedule": crontab(),
    },
    "publishing-deadline-alerts": {
        "task": "publishing.tasks.alert_publishing_deadlines",
        "schedule": crontab(),
    },
}
