"""Celery beat entries of disclosure (merged by portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "disclosure-deadline-alerts": {
        "task": "disclosure.tasks.alert_request_deadlines",
        "schedule": crontab(minute="7,22,37,52"),
    },
    "disclosure-withdraw-unclarified": {
        "task": "disclosure.tasks.withdraw_unclarified_requests",
        "schedule": crontab(minute=25),
    },
    "disclosure-recount-deadlines": {
        "task": "disclosure.tasks.recount_provisional_deadlines",
        "schedule": crontab(minute=10, hour=8),
    },
}
