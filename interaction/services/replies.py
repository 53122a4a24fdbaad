"""答复 — the reply: drafted by the unit's liaison, approved by the section head (and the
leader where the site requires), sent to the citizen and published, or returned."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.models import Role
from columns.notifications import notify

from .. import masking, workflow
from ..models import MailboxPolicy, MessageStatus
from ..working_days import WorkingCalendar, local_date
from .steps import email_citizen, fire, lock, required, tracking_url, unit_staff

MAX_REPLY = 5000


@transaction.atomic
def draft_reply(*, message, by, body, at=None):
    """拟写答复: the unit's liaison writes the reply; the section head approves it next."""
    now = at or timezone.now()
    message = lock(message)
    workflow.require_action(message, by, "draft_reply")
    body = required(body, _("Write the reply."))
    if len(body) > MAX_REPLY:
        raise ValidationError(_("The reply may have at most %(n)s characters.") % {"n": MAX_REPLY})
    message.reply_body = body
    message.reply_drafted_by = by
    fire(message, "draft_reply", by=by, at=now)
    notify(
        unit_staff(message.unit, Role.SECTION_HEAD),
        kind="message_reply_drafted",
        title=_("Reply to approve: %(subject)s") % {"subject": message.subject},
        url=change_url(message),
        key=f"message:{message.pk}:drafted:{now.isoformat()}",
    )
    return message


def _needs_leader(message):
    policy = MailboxPolicy.objects.filter(site=message.site).first()
    return bool(policy and policy.reply_needs_leader)


@transaction.atomic
def approve_reply(*, message, by, at=None):
    """审核答复: the section head approves (then the leader, where the site requires); the
    last approval sends the reply to the citizen and publishes the exchange."""
    now = at or timezone.now()
    message = lock(message)
    workflow.require_action(message, by, "approve_reply")
    if message.status == MessageStatus.REPLY_DRAFTED:
        fire(message, "approve_reply", by=by, at=now)
        if _needs_leader(message):
            notify(
                unit_staff(message.unit, Role.DEPUTY_LEADER),
                kind="message_reply_drafted",
                title=_("Reply to approve: %(subject)s") % {"subject": message.subject},
                url=change_url(message),
                key=f"message:{message.pk}:leader:{now.isoformat()}",
            )
            return message
    _send_reply(message, by, at=now)
    return message


def _send_reply(message, by, *, at):
    calendar = WorkingCalendar.load()
    now = at
    message.answered_at = now
    message.reply_unit = message.unit
    message.working_days_to_reply = max(
        calendar.working_days_between(local_date(message.received_at), local_date(now))
        - message.clock_stopped_days,
        0,
    )
    message.answered_on_time = now <= message.due_at
    message.is_public = message.publish_allowed
    masking.store_public_text(message)
    fire(message, "send_reply", by=by, at=now)
    email_citizen(
        message,
        _("Your message %(code)s was answered") % {"code": message.tracking_code},
        _(
            "%(unit)s answered your message “%(subject)s”:\n\n%(reply)s\n\n"
            "Rate the reply on %(url)s with your tracking code."
        )
        % {
            "unit": message.unit,
            "subject": message.subject,
            "reply": message.reply_body,
            "url": tracking_url(message),
        },
    )


@transaction.atomic
def return_reply(*, message, by, comment):
    """退回答复: the section head or leader sends the draft back to the unit, saying why."""
    message = lock(message)
    workflow.require_action(message, by, "return_reply")
    comment = required(comment, _("Say what must change in the reply."))
    fire(message, "return_reply", by=by, comment=comment)
    notify(
        [message.reply_drafted_by],
        kind="message_reply_returned",
        title=_("Reply returned: %(subject)s") % {"subject": message.subject},
        body=comment,
        url=change_url(message),
        key=f"message:{message.pk}:returned:{timezone.now().isoformat()}",
    )
    return message
