"""Celery tasks of the static publisher: thin, idempotent, safe to run twice or at once."""

from celery import shared_task

from . import services
from .models import PendingRender

#: A run renders for at most this long, then hands the rest of the queue to the next run.
RUN_SECONDS = 50


@shared_task
def render_pending():
    """Render the queued pages (after a change, and every minute for a queue a killed or
    missing worker left behind)."""
    done = services.render_pending(seconds=RUN_SECONDS)
    if PendingRender.objects.exists():
        render_pending.apply_async()
    return done
