"""期限 — how a message's due time is counted from receipt; how a case's new version is
recorded, with the next deadline alert it still owes, and that alert sent once (shared with
disclosure's requests, whose models build on interaction.models.casework)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import workflow
from ..models import DEFAULT_DEADLINE_DAYS, ExtensionRequest, MailboxPolicy
from ..models.casework import CaseAlert
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


def record_deadline(
    case, *, reason, by=None, note="", at=None, clock_running=workflow.CLOCK_RUNNING
):
    """期限变更记录 — the current version of a case's due time (a message, or a disclosure
    request with its own clock_running states), kept with its reason."""
    case.deadlines.create(
        version=case.deadline_version,
        reason=reason,
        due_at=case.due_at,
        provisional=case.due_provisional,
        note=note,
        changed_by=by,
        changed_at=at or timezone.now(),
    )
    schedule_alerts(case, clock_running=clock_running)


def schedule_alerts(case, *, clock_running=workflow.CLOCK_RUNNING):
    """Point next_alert_at at the next alert this deadline version still owes, if any."""
    sent = set(
        case.alerts.filter(deadline_version=case.deadline_version).values_list("kind", flat=True)
    )
    if case.status not in clock_running or CaseAlert.Kind.OVERDUE in sent:
        wanted = None
    elif CaseAlert.Kind.REMINDER in sent:
        wanted = case.due_at
    else:
        wanted = case.remind_at
    if case.next_alert_at != wanted:
        case.next_alert_at = wanted
        type(case).objects.filter(pk=case.pk).update(next_alert_at=wanted)


def claim_alert(locked_cases, pk, now, *, recipients_for, clock_running=workflow.CLOCK_RUNNING):
    """Inside the caller's transaction: lock the case pk whose alert is due (locked_cases is
    its select_for_update queryset), write the once-only alert it owes — the reminder, or the
    escalation once overdue — to recipients_for(case, overdue), and return (case, kind,
    recipients). None where another worker was first or the row stands already (the alert's
    unique key); then next_alert_at moves on and nothing is sent twice."""
    case = locked_cases.filter(pk=pk, next_alert_at__lte=now).first()
    if case is None:
        return None
    overdue = now > case.due_at
    kind = CaseAlert.Kind.OVERDUE if overdue else CaseAlert.Kind.REMINDER
    recipients = recipients_for(case, overdue)
    try:
        with transaction.atomic():
            case.alerts.create(
                kind=kind,
                deadline_version=case.deadline_version,
                sent_at=now,
                recipients=sorted(u.get_username() for u in recipients),
            )
    except IntegrityError:
        schedule_alerts(case, clock_running=clock_running)
        return None
    return case, kind, recipients


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
