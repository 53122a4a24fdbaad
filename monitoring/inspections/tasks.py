"""Celery tasks of inspection: thin, safe to run twice (services are idempotent per key)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def compute_monthly_scores():
    """On the 1st: compute last month's score sheets from the platform's data."""
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return str(services.compute_month(year=year, month=month))


@shared_task
def draft_annual_reports():
    """On 2 January: draft last year's annual reports."""
    return len(services.generate_annual_reports(year=timezone.localdate().year - 1))


@shared_task
def send_inspection_reminders():
    """Daily: remind units and inspectors of the deadlines coming or passed (once each)."""
    return services.send_reminders()
