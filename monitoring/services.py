"""Business actions of monitoring that people take (the checks themselves live in their own
modules and run from Celery)."""

from django.db import transaction

from columns.audit import record

from .models import PatrolRecord


@transaction.atomic
def record_patrol(*, patrol: PatrolRecord, by):
    """日常巡检: the duty officer records (or completes) a site's check of the day."""
    if patrol.pk is None:
        patrol.duty_officer = by
    patrol.full_clean()
    created = patrol.pk is None
    patrol.save()
    record(
        "patrol_recorded" if created else "patrol_changed",
        actor=by,
        target=patrol,
        detail={"all_passed": patrol.all_passed},
    )
    return patrol
