"""Celery tasks of interaction: thin wrappers around services, safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def alert_message_deadlines():
    """Every 15 minutes: reminders before due and escalations when overdue (once each)."""
    return services.send_deadline_alerts()


@shared_task
def check_calendar_coverage():
    """Daily: warn the operators when next year's holidays are not known yet."""
    return services.check_calendar_coverage()["status"]
