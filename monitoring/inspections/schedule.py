"""Celery beat entries of inspection (merged into monitoring.schedule, then portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "inspections-monthly-scores": {
        "task": "monitoring.inspections.tasks.compute_monthly_scores",
        "schedule": crontab(minute=30, hour=1, day_of_month=1),
    },
    "inspections-annual-reports": {
        "task": "monitoring.inspections.tasks.draft_annual_reports",
        "schedule": crontab(minute=0, hour=2, day_of_month=2, month_of_year=1),
    },
    "inspections-reminders": {
        "task": "monitoring.inspections.tasks.send_inspection_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
}
