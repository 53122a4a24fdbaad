"""Celery beat entries of the static publisher (merged by portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Picks up pages left queued by a worker killed mid-run or a broker that was down.
    "staticsite-render-pending": {
        "task": "staticsite.tasks.render_pending",
        "schedule": crontab(),
    },
    # A public host that was down or refused a file catches up within a minute of coming back.
    "staticsite-distribute": {
        "task": "staticsite.tasks.distribute",
        "schedule": crontab(),
    },
    # An offline window begins or ends at a moment no edit signals.
    "staticsite-follow-site-availability": {
        "task": "staticsite.tasks.follow_site_availability",
        "schedule": crontab(),
    },
    # Before each flush of the visit counters (monitoring-flush-visits, every 5 minutes).
    "staticsite-import-visits": {
        "task": "staticsite.tasks.import_visits",
        "schedule": crontab(minute="4-59/5"),
    },
    "staticsite-check-served-pages": {
        "task": "staticsite.tasks.check_served_pages",
        "schedule": crontab(minute=17),
    },
}
