"""The one notification service: in-app notifications plus e-mail, each sent at most once."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification


def notify(recipients, *, kind, title, body="", url="", key=None):
    """Notify each recipient once; with a key, a repeated call for the same key does nothing.

    Returns the notifications created now. E-mail leaves only after the surrounding
    transaction commits, so a rolled-back action sends nothing.
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
        transaction.on_commit(lambda: _email([n.pk for n in created]))
    return created


def _email(notification_ids):
    for notification in Notification.objects.filter(
        pk__in=notification_ids, emailed=False
    ).select_related("recipient"):
        if notification.recipient.email:
            send_mail(
                notification.title,
                f"{notification.body}\n\n{notification.url}".strip(),
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient.email],
            )
        Notification.objects.filter(pk=notification.pk).update(emailed=True)
