"""Celery beat entries of the static publisher (merged by portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Picks up pages left queued by a worker killed mid-run or a broker that was down.
    "staticsite-render-pending": {
        "task": "staticsite.tasks.render_pending",
        "schedule": crontab(),
    },
}
