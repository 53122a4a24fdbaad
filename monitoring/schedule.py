"""Celery beat entries of monitoring (merged by portal.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "monitoring-freshness": {
        "task": "monitoring.tasks.check_freshness",
        "schedule": crontab(minute=7),
    },
    "monitoring-availability": {
        "task": "monitoring.tasks.probe_availability",
        "schedule": crontab(minute="*/5"),
    },
    "monitoring-link-crawl": {
        "task": "monitoring.tasks.crawl_links",
        "schedule": crontab(hour=2, minute=17),
    },
    "monitoring-flush-visits": {
        "task": "monitoring.tasks.flush_visits",
        "schedule": crontab(minute="*/5"),
    },
    "monitoring-purge-operation-log": {
        "task": "monitoring.tasks.purge_operation_log",
        "schedule": crontab(hour=3, minute=41),
    },
}
from .inspections.schedule import BEAT_SCHEDULE as _INSPECTIONS  # noqa: E402

BEAT_SCHEDULE.update(_INSPECTIONS)
