"""Celery tasks of monitoring: thin wrappers around the checks, safe to run twice."""

from celery import shared_task

from . import availability, crawler, freshness, retention, visits


@shared_task
def check_freshness():
    """Hourly: every column of every open site against its update rule; alerts on changes."""
    results = freshness.check_all()
    return {r.site.site_code: r.counts() for r in results}


@shared_task
def crawl_links():
    """Nightly: the link crawl of every open site."""
    return {
        run.site_id: run.broken_on_homepage + run.broken_elsewhere for run in crawler.crawl_all()
    }


@shared_task
def probe_availability():
    """Every 5 minutes: each open site's homepage."""
    return {probe.site_id: probe.ok for probe in availability.probe_all()}


@shared_task
def flush_visits():
    """Every 5 minutes: cache visit counters into the daily aggregate."""
    return visits.flush()


@shared_task
def purge_operation_log():
    """Daily: operation-log entries past the retention period."""
    return retention.purge_operation_log()


from .inspections import tasks as inspections_tasks  # noqa: E402,F401
