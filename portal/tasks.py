"""Celery tasks of the portal layer: the daily backup (beat entry in portal/schedule.py)."""

from celery import shared_task

from columns.audit import record

from . import backups


@shared_task
def daily_backup():
    """Every night: archive database and media, rotate old archives, log it [C质监§18]."""
    archive, removed = backups.create_backup()
    record("backup_made", detail={"archive": str(archive), "removed": [str(r) for r in removed]})
    return str(archive)
