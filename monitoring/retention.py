"""日志留存 — the operation log is kept at least 180 days [G八(三)] and purged after."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from columns.audit import record
from columns.models import OperationLog

#: The regulation's floor: a shorter setting cannot make the platform forget sooner.
MINIMUM_RETENTION_DAYS = 180


def retention_days():
    return max(settings.OPERATION_LOG_RETENTION_DAYS, MINIMUM_RETENTION_DAYS)


@transaction.atomic
def purge_operation_log(*, at=None):
    """Delete entries older than the retention period; the purge itself is logged."""
    cutoff = (at or timezone.now()) - timedelta(days=retention_days())
    deleted, _by_model = OperationLog.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        record(
            "operation_log_purged",
            detail={"deleted": deleted, "before": cutoff.isoformat(), "days": retention_days()},
        )
    return deleted
