"""Celery tasks of disclosure: thin wrappers around services, safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def alert_request_deadlines():
    """Every 15 minutes: reminders before due and escalations when overdue (once each)."""
    return services.send_deadline_alerts()


@shared_task
def withdraw_unclarified_requests():
    """Hourly: requests not clarified by the date set are treated as withdrawn (Art. 30)."""
    return services.withdraw_unclarified()


@shared_task
def recount_provisional_deadlines():
    """Daily: provisional due dates counted again once their years' holidays are known."""
    return services.recount_provisional_deadlines()
