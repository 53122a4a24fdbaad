"""The citizen's actions on a message already received: 补充材料, 评价, 重新办理."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.models import Role
from columns.notifications import notify

from .. import selectors
from ..models import DeadlineChange, Rating
from ..working_days import WorkingCalendar, local_date
from .deadline_versions import due_from_receipt, set_deadline
from .steps import fire, lock, required, unit_staff
from .submission import MAX_CONTENT


@transaction.atomic
def supply_info(*, message, text):
    """补充材料: the citizen answers the unit's question; the clock runs again, and the due
    time moves by the working days it stood still (never past the cap, which stays)."""
    message = lock(message)
    text = required(text, _("Write the information you were asked for."))
    if len(text) > MAX_CONTENT:
        raise ValidationError(_("At most %(n)s characters.") % {"n": MAX_CONTENT})
    calendar = WorkingCalendar.load()
    now = timezone.now()
    stopped_since = message.clock_stopped_at
    paused = calendar.working_days_between(local_date(stopped_since), local_date(now))
    fire(message, "supply_info", comment=text, detail={"paused_working_days": paused})
    message.clock_stopped_at = None
    message.clock_stopped_days += paused
    message.save(update_fields=["clock_stopped_at", "clock_stopped_days"])
    if paused:
        set_deadline(
            message,
            due_day=due_from_receipt(message, calendar),
            reason=DeadlineChange.Reason.CLOCK_STOPPED,
            note=_("%(n)s working days waiting for the citizen") % {"n": paused},
            calendar=calendar,
        )
    notify(
        unit_staff(message.unit, Role.LIAISON),
        kind="message_info_supplied",
        title=_("The citizen answered: %(subject)s") % {"subject": message.subject},
        url=change_url(message),
        key=f"message:{message.pk}:info:{now.isoformat()}",
    )
    return message


@transaction.atomic
def rate(*, message, rating, comment="", at=None):
    """评价: satisfied or basically satisfied closes the message; unsatisfied may reopen it."""
    message = lock(message)
    if rating not in Rating.values:
        raise ValidationError(_("Choose how satisfied you are with the reply."))
    message.rating = rating
    message.rated_at = at or timezone.now()
    fire(
        message,
        "rate",
        comment=(comment or "").strip()[:MAX_CONTENT],
        detail={"rating": rating},
        at=message.rated_at,
    )
    if rating != Rating.UNSATISFIED:
        fire(message, "close", detail={"after": "rating"}, at=message.rated_at)
    return message


@transaction.atomic
def reopen(*, message, reason):
    """重新办理: an unsatisfied citizen sends the message back to the unit, once."""
    message = lock(message)
    reason = required(reason, _("Say what is still missing from the reply."))
    if message.rating != Rating.UNSATISFIED:
        raise ValidationError(_("Only a reply rated unsatisfied can be reopened."))
    if message.reopened_at is not None:
        raise ValidationError(_("This message was reopened once already; it cannot be again."))
    message.reopened_at = timezone.now()
    fire(message, "reopen", comment=reason)
    notify(
        [*unit_staff(message.unit, Role.LIAISON), *selectors.dispatchers()],
        kind="message_reopened",
        title=_("Reopened by the citizen: %(subject)s") % {"subject": message.subject},
        body=reason,
        url=change_url(message),
        key=f"message:{message.pk}:reopened",
    )
    return message
