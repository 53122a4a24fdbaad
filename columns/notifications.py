"""The one notification service: in-app notifications plus e-mail, each sent at most once."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

#: A notification still not e-mailed this long after it was made lost its first attempt
#: (the mail server failed, or the process died between commit and sending): retry it.
EMAIL_RETRY_AFTER = timedelta(minutes=5)
#: After this long an e-mail is no longer worth sending; the in-app notification remains.
EMAIL_GIVE_UP_AFTER = timedelta(days=1)


def notify(recipients, *, kind, title, body="", url="", key=None):
    """Notify each recipient once; with a key, a repeated call for the same key does nothing.

    Returns the notifications created now. E-mail leaves only after the surrounding
    transaction commits, so a rolled-back action sends nothing; a failing mail server never
    fails the action (robust), send_pending_emails retries it.
    """
    created = []
    for recipient in {r.pk: r for r in recipients if r is not None}.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=recipient,
                        kind=kind,
                        title=title,
                        body=body,
                        url=url,
                        key=key,
                    )
                )
        except IntegrityError:
            if key is None:
                raise
    if created:
        transaction.on_commit(lambda: _email([n.pk for n in created]), robust=True)
    return created


def send_pending_emails(now=None):
    """Every few minutes: e-mail the notifications whose first attempt was lost. Returns how
    many were e-mailed now."""
    now = now or timezone.now()
    pending = Notification.objects.filter(
        emailed=False,
        created_at__lte=now - EMAIL_RETRY_AFTER,
        created_at__gt=now - EMAIL_GIVE_UP_AFTER,
    )
    return _email(list(pending.values_list("pk", flat=True)[:500]))


def _email(notification_ids):
    """Send each notification's e-mail once: its row is locked while it is sent (skip_locked,
    so two senders never pick the same one), then marked. One failing address does not stop
    the others; it stays unmarked for the retry."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=pk, emailed=False)
                .first()
            )
            if notification is None:
                continue
            if notification.recipient.email:
                try:
                    send_mail(
                        notification.title,
                        f"{notification.body}\n\n{notification.url}".strip(),
                        settings.DEFAULT_FROM_EMAIL,
                        [notification.recipient.email],
                    )
                except OSError:  # smtplib's errors are OSErrors too
                    logger.warning("e-mail of notification %s failed; retried later", pk)
                    continue
            Notification.objects.filter(pk=pk).update(emailed=True)
            sent += 1
    return sent
