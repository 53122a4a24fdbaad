"""The steps every action on a message shares: lock the row, fire the workflow transition,
keep the handling record, and tell the citizen or the unit's staff."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from columns.audit import record
from columns.site_urls import absolute_url
from publishing.services import holders_of

from .. import workflow
from ..models import Message, MessageEvent
from .deadline_versions import schedule_alerts


def lock(message):
    return Message.objects.select_for_update().get(pk=message.pk)


def fire(message, name, *, by=None, comment="", detail=None, at=None):
    """Fire transition name, save the status and keep the handling record."""
    source = message.status
    workflow.fire(message, name)
    message.save()
    note(message, name, by=by, comment=comment, detail=detail, from_status=source, at=at)
    if by is not None:
        record(f"message_{name}", actor=by, target=message, detail=detail)
    schedule_alerts(message)


def note(message, action, *, by=None, comment="", detail=None, from_status=None, at=None):
    """办理记录 — one handling record; without from_status the status did not change, without
    at it happens now."""
    MessageEvent.objects.create(
        message=message,
        action=action,
        from_status=message.status if from_status is None else from_status,
        to_status=message.status,
        actor=by,
        unit=message.unit,
        comment=comment,
        detail=detail or {},
        at=at or timezone.now(),
    )


def required(text, message):
    """text stripped, or message as the error when it is empty."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


def tracking_url(message):
    return absolute_url(message.site_id, "/interaction/messages/track/")


def email_citizen(case, subject, body):
    """Tell the citizen who wrote case (a message, or disclosure's request) by e-mail, after
    commit; their address never leaves the case.

    Robust: a failing mail server is logged and must not turn the committed action into an
    error page (a citizen told "error" after the message was stored would send it again).
    """
    if not case.email:
        return
    address = case.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]), robust=True
    )


def unit_staff(unit, *roles):
    return [user for role in roles for user in holders_of(role, unit)]
