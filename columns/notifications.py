"""The one notification service: in-app notifications plus e-mail, each sent at most once."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Notification

logger = logging.getLogger(__name__)

#: A notification still not e-mailed this long after it was made lost its first attempt
#: (the mail server failed, or the process died between commit and sending): retry it.
EMAIL_RETRY_AFTER = timedelta(minutes=5)
#: After this long an e-mail is no longer worth sending; the in-app notification remains.
EMAIL_GIVE_UP_AFTER = timedelta(days=1)

#: 通知类别 — what each kind code means, in the words the recipient reads.
KIND_LABELS = {
    "annual_report": _("Annual report"),
    "article_published": _("Article published"),
    "calendar_missing_year": _("Working-day calendar missing"),
    "column_assigned": _("Column assigned"),
    "column_freshness": _("Column not updated in time"),
    "message_assigned": _("Message routed to you"),
    "message_deadline_recounted": _("Message deadline recounted"),
    "message_extension_decided": _("Extension decided"),
    "message_extension_requested": _("Extension requested"),
    "message_info_supplied": _("Writer supplied information"),
    "message_received": _("New message"),
    "message_reopened": _("Message reopened"),
    "message_reply_drafted": _("Reply waiting for approval"),
    "message_reply_returned": _("Reply returned"),
    "message_transfer_requested": _("Transfer requested"),
    "monthly_score": _("Monthly score"),
    "objection_decided": _("Objection decided"),
    "objection_filed": _("Objection filed"),
    "participation_held": _("Participation item held"),
    "participation_question": _("Question from the public"),
    "publishing_deadline": _("Publishing deadline"),
    "rectification": _("Rectification"),
    "reminder": _("Reminder"),
    "review_approved": _("Review approved"),
    "review_progress": _("Review progress"),
    "review_returned": _("Returned by the reviewer"),
    "review_waiting": _("Waiting for your review"),
    "site_outage": _("Site unavailable"),
    "special_supervision": _("Special supervision"),
    "spot_check": _("Spot check"),
    "supervisor": _("Supervision"),
    "tamper_alert": _("Possible tampering"),
    "topic_decided": _("Topic request decided"),
    "topic_requested": _("Topic requested"),
}


def kind_label(kind):
    """The kind in words; an unknown code (from an older release) as itself."""
    return KIND_LABELS.get(kind, kind)


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


@dataclass(frozen=True)
class Notice:
    """One notification to its recipients: what notify takes, for notify_all."""

    recipients: list
    kind: str
    title: str
    body: str = ""
    url: str = ""
    key: str | None = None


def notify_all(notices):
    """Send many notices at once in a fixed number of queries, whatever their number: one
    read of the keys already sent, one insert of the rest (a check that alerts the units of
    every site). Each recipient is notified once per key, as by notify; returns the
    notifications created now, e-mailed after commit as by notify."""
    keys = {notice.key for notice in notices if notice.key is not None}
    sent = _sent(keys) if keys else set()
    new = []
    for notice in notices:
        for recipient in {r.pk: r for r in notice.recipients if r is not None}.values():
            if notice.key is not None:
                if (recipient.pk, notice.key) in sent:
                    continue
                sent.add((recipient.pk, notice.key))
            new.append(
                Notification(
                    recipient=recipient,
                    kind=notice.kind,
                    title=notice.title,
                    body=notice.body,
                    url=notice.url,
                    key=notice.key,
                )
            )
    if not new:
        return []
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(new)
    except IntegrityError:
        # A concurrent run sent some of these keys since the read: one at a time, as notify
        # does, skipping those.
        return [
            notification
            for notice in notices
            for notification in notify(
                notice.recipients,
                kind=notice.kind,
                title=notice.title,
                body=notice.body,
                url=notice.url,
                key=notice.key,
            )
        ]
    if created:
        transaction.on_commit(lambda: _email([n.pk for n in created]), robust=True)
    return created


def _sent(keys):
    """{(recipient id, key)} of the notifications already made with these keys."""
    return set(Notification.objects.filter(key__in=keys).values_list("recipient_id", "key"))


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
