"""Celery tasks of the static publisher: thin, idempotent, safe to run twice or at once."""

from celery import shared_task

from . import distribution, services, tamper, visit_log
from .models import FileChange, PendingRender, PublicHost

#: A run renders for at most this long, then hands the rest of the queue to the next run.
RUN_SECONDS = 50


@shared_task
def render_pending():
    """Render the queued pages (after a change, and every minute for a queue a killed or
    missing worker left behind), then send what changed to the public hosts."""
    done = services.render_pending(seconds=RUN_SECONDS)
    if PendingRender.objects.exists():
        render_pending.apply_async()
    if PublicHost.objects.exists() and FileChange.objects.exists():
        distribute.apply_async()
    return done


@shared_task
def distribute():
    """分发: every public host receives the changes it has not acknowledged (also every
    minute, so a host that was down catches up)."""
    return distribution.distribute()


@shared_task
def import_visits():
    """访问量: what each public host's log of the published pages it answered, and the local
    nginx's (STATIC_PAGES_LOCAL_ACCESS_LOG), gained since the last import, into the visit
    counters (monitoring.tasks.flush_visits writes them down)."""
    return visit_log.import_visits()


@shared_task
def follow_site_availability():
    """Take down the files of sites gone offline or closed; republish those back online."""
    down, back = services.follow_site_availability()
    return {"taken down": sorted(down), "republished": sorted(back)}


@shared_task
def check_served_pages():
    """防篡改, the one tamper check: files and sampled live answers against their fingerprints
    (restored on a difference), and a batch of articles' text in the database against the
    approved text; every finding alerted through monitoring.tamper.raise_alert."""
    return [(t.host, t.path, t.where) for t in tamper.check_served()]
