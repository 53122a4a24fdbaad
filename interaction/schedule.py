"""Celery beat entries of interaction (merged by portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "interaction-deadline-alerts": {
        "task": "interaction.tasks.alert_message_deadlines",
        "schedule": crontab(minute="*/15"),
    },
    "interaction-calendar-coverage": {
        "task": "interaction.tasks.check_calendar_coverage",
        "schedule": crontab(minute=5, hour=8),
    },
    "interaction-refill-captchas": {
        "task": "interaction.tasks.refill_captchas",
        "schedule": crontab(minute="*/10"),
    },
    "interaction-close-unsupplied": {
        "task": "interaction.tasks.close_unsupplied_messages",
        "schedule": crontab(minute=20),
    },
}
