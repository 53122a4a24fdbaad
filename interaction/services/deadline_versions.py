"""期限 — how a message's due time is counted from receipt and each new version recorded,
with the next deadline alert it still owes."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import workflow
from ..models import (
    DEFAULT_DEADLINE_DAYS,
    DeadlineAlert,
    DeadlineChange,
    ExtensionRequest,
    MailboxPolicy,
    Message,
)
from ..working_days import end_of_day, local_date, start_of_day

#: No reply later than 3 months after receipt [P§13], extensions and clock stops included.
CAP_MONTHS = 3


def deadline_days(site, kind):
    """The site's reply deadline for kind in working days (the regulations' by default)."""
    policy = MailboxPolicy.objects.filter(site=site).first()
    return policy.deadline_days(kind) if policy else DEFAULT_DEADLINE_DAYS[kind]


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


def cap_for(received_at):
    """3 months after receipt, to the end of that day [P§13]. Set once at receipt: a clock
    stop pauses the working-day deadline but never moves the cap."""
    return end_of_day(_add_months(local_date(received_at), CAP_MONTHS))


def due_from_receipt(message, calendar):
    """The deadline counted from receipt: the type's working days, the extensions granted
    and the working days the clock stood still."""
    granted = sum(
        ExtensionRequest.objects.filter(
            message_id=message.pk, status=ExtensionRequest.Status.APPROVED
        ).values_list("working_days", flat=True)
    )
    days = deadline_days(message.site, message.kind) + granted + message.clock_stopped_days
    return calendar.add_working_days(local_date(message.received_at), days)


def place_deadline(message, due_day, calendar):
    """Due at the end of due_day (never past the cap); the reminder as the working day before
    it begins, so the assignee still has two working days. A day counted over a year whose
    holidays are not published yet makes the due date provisional."""
    due_day = min(due_day, local_date(message.cap_at))
    message.due_at = end_of_day(due_day)
    message.due_provisional = calendar.is_provisional(local_date(message.received_at), due_day)
    reminder_day = calendar.add_working_days(due_day, -1)
    message.remind_at = max(start_of_day(reminder_day), message.received_at)


def set_deadline(message, *, due_day, reason, by=None, note="", calendar, at=None):
    """A new version of the message's due time, recorded with its reason."""
    place_deadline(message, due_day, calendar)
    message.deadline_version += 1
    message.save()
    record_deadline(message, reason=reason, by=by, note=note, at=at)


def record_deadline(message, *, reason, by=None, note="", at=None):
    """期限变更记录 — the current version of the due time, kept with its reason."""
    DeadlineChange.objects.create(
        message=message,
        version=message.deadline_version,
        reason=reason,
        due_at=message.due_at,
        provisional=message.due_provisional,
        note=note,
        changed_by=by,
        changed_at=at or timezone.now(),
    )
    schedule_alerts(message)


def schedule_alerts(message):
    """Point next_alert_at at the next alert this deadline version still owes, if any."""
    sent = set(
        DeadlineAlert.objects.filter(
            message=message, deadline_version=message.deadline_version
        ).values_list("kind", flat=True)
    )
    if message.status not in workflow.CLOCK_RUNNING or DeadlineAlert.Kind.OVERDUE in sent:
        wanted = None
    elif DeadlineAlert.Kind.REMINDER in sent:
        wanted = message.due_at
    else:
        wanted = message.remind_at
    if message.next_alert_at != wanted:
        message.next_alert_at = wanted
        Message.objects.filter(pk=message.pk).update(next_alert_at=wanted)


def check_within_cap(message, working_days, calendar):
    """The due day working_days later, refused when it passes the 3-month cap."""
    if not isinstance(working_days, int) or working_days < 1:
        raise ValidationError(_("Ask for at least one working day."))
    new_due = calendar.add_working_days(local_date(message.due_at), working_days)
    cap_day = local_date(message.cap_at)
    if new_due > cap_day:
        raise ValidationError(
            _(
                "An extension of %(n)s working days would move the due date to %(due)s, past "
                "%(cap)s, 3 months after receipt; no reply may be later. At most %(max)s "
                "working days are possible."
            )
            % {
                "n": working_days,
                "due": f"{new_due:%Y-%m-%d}",
                "cap": f"{cap_day:%Y-%m-%d}",
                "max": max(calendar.working_days_between(local_date(message.due_at), cap_day), 0),
            },
            code="past_cap",
        )
    return new_due
