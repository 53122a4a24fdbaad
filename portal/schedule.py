"""Celery beat entries of the portal layer (merged by portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # 02:30 Asia/Shanghai (CELERY_TIMEZONE), when the portal is quietest.
    "portal-daily-backup": {
        "task": "portal.tasks.daily_backup",
        "schedule": crontab(hour=2, minute=30),
    },
}
