"""Celery tasks of interaction: thin wrappers around services, safe to run twice."""

from celery import shared_task

from . import services
from .captcha_pool import refill_captcha_pool


@shared_task
def alert_message_deadlines():
    """Every 15 minutes: reminders before due and escalations when overdue (once each)."""
    return services.send_deadline_alerts()


@shared_task
def check_calendar_coverage():
    """Daily: recount provisional due dates whose years became known, and warn the
    operators while next year's holidays are not known yet."""
    return services.check_calendar_coverage()["status"]


@shared_task
def close_unsupplied_messages():
    """Hourly: close the messages still waiting for the citizen at their 3-month cap."""
    return services.close_unsupplied_at_cap()


@shared_task
def refill_captchas():
    """Every 10 minutes: keep the captcha pool full, so showing a form writes no row."""
    return refill_captcha_pool()
