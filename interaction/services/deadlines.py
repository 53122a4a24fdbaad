"""期限 — what moves or watches a message's due time: extensions asked and decided, the
beat's reminders and escalations, the provisional calendar counted again once its year is
published, and the close of messages still waiting for the citizen at their cap."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url, changelist_url
from columns.audit import record
from columns.models import Role
from columns.notifications import notify
from columns.selectors import operators

from .. import selectors, workflow
from ..models import (
    DeadlineAlert,
    DeadlineChange,
    ExtensionRequest,
    Message,
    MessageStatus,
    WorkingDayOverride,
)
from ..working_days import CalendarSource, WorkingCalendar, local_date
from .deadline_versions import (
    check_within_cap,
    claim_alert,
    due_from_receipt,
    place_deadline,
    record_deadline,
    schedule_alerts,
    set_deadline,
)
from .steps import email_citizen, fire, lock, note, required, tracking_url, unit_staff


@transaction.atomic
def request_extension(*, message, by, working_days, reason, at=None):
    """申请延期: the unit asks for more working days, never past the 3-month cap."""
    message = lock(message)
    workflow.require_action(message, by, "request_extension")
    reason = required(reason, _("Give the reason for the extension."))
    check_within_cap(message, working_days, WorkingCalendar.load())
    extension = ExtensionRequest.objects.create(
        message=message,
        working_days=working_days,
        reason=reason,
        requested_by=by,
        requested_at=at or timezone.now(),
    )
    note(
        message,
        "request_extension",
        by=by,
        comment=reason,
        detail={"working_days": working_days},
        at=extension.requested_at,
    )
    record(
        "message_extension_requested",
        actor=by,
        target=message,
        detail={"working_days": working_days},
    )
    notify(
        selectors.dispatchers(),
        kind="message_extension_requested",
        title=_("Extension of %(n)s working days asked for: %(subject)s")
        % {"n": working_days, "subject": message.subject},
        body=reason,
        url=change_url(message),
        key=f"extension:{extension.pk}",
    )
    return extension


@transaction.atomic
def decide_extension(*, extension, by, approve, reason="", at=None):
    """批准延期: the dispatcher grants the working days (a new deadline version) or refuses."""
    now = at or timezone.now()
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    message = lock(extension.message)
    workflow.require_action(message, by, "decide_extension")
    workflow.check_extension_pending(extension)
    if approve:
        calendar = WorkingCalendar.load()
        new_due = check_within_cap(message, extension.working_days, calendar)
        set_deadline(
            message,
            due_day=new_due,
            reason=DeadlineChange.Reason.EXTENSION,
            by=by,
            note=extension.reason,
            calendar=calendar,
            at=now,
        )
    else:
        reason = required(reason, _("Say why the extension is refused."))
    workflow.decide_extension_request(extension, approve=approve)
    extension.decided_by = by
    extension.decided_at = now
    extension.decision_reason = reason
    extension.save()
    action = "approve_extension" if approve else "reject_extension"
    note(
        message,
        action,
        by=by,
        comment=reason,
        detail={"working_days": extension.working_days},
        at=now,
    )
    record(
        f"message_{action}",
        actor=by,
        target=message,
        detail={"working_days": extension.working_days},
    )
    notify(
        [extension.requested_by],
        kind="message_extension_decided",
        title=(
            _("Extension approved: %(subject)s") if approve else _("Extension refused: %(subject)s")
        )
        % {"subject": message.subject},
        body=reason,
        url=change_url(message),
        key=f"extension:{extension.pk}:decided",
    )
    return extension


def send_deadline_alerts(now=None):
    """Every 15 minutes: the reminder one working day before due to the assignee, and on
    becoming overdue the escalation to the unit's leaders and the dispatcher.

    Each alert is a DeadlineAlert row with a unique key (message, kind, deadline version),
    written in the same transaction as its notifications: a second tick, a second beat, or
    a task redelivered after its worker died finds the row (or the advanced next_alert_at)
    and sends nothing twice. Returns the number of alerts sent.
    """
    now = now or timezone.now()
    sent = 0
    for pk in selectors.alerts_due(now):
        sent += _alert(pk, now)
    return sent


@transaction.atomic
def _alert(pk, now):
    claimed = claim_alert(
        Message.objects.select_for_update(of=("self",)).select_related("unit", "assignee"),
        pk,
        now,
        recipients_for=_alert_recipients,
    )
    if claimed is None:  # another worker dealt with it meanwhile
        return 0
    message, kind, recipients = claimed
    due = f"{local_date(message.due_at):%Y-%m-%d}"
    title = (
        _("Overdue since %(due)s: %(subject)s (%(unit)s)")
        if kind == DeadlineAlert.Kind.OVERDUE
        else _("Due at the end of %(due)s: %(subject)s (%(unit)s)")
    ) % {"due": due, "subject": message.subject, "unit": message.unit or _("not routed")}
    notify(
        recipients,
        kind=f"message_{kind}",
        title=title,
        url=change_url(message),
        key=f"message:{message.pk}:{kind}:v{message.deadline_version}",
    )
    schedule_alerts(message)
    return 1


def _alert_recipients(message, overdue):
    """Reminder: the assignee (else the unit's liaisons); escalation: the unit's leaders and
    the dispatcher. Whoever is missing (an unrouted message, a unit without accounts), the
    dispatcher hears of it."""
    if message.unit is None:
        return list(selectors.dispatchers())
    if overdue:
        leaders = unit_staff(message.unit, Role.PRINCIPAL_LEADER, Role.DEPUTY_LEADER)
        return [*leaders, *selectors.dispatchers()]
    if message.assignee is not None and message.assignee.is_active:
        return [message.assignee]
    return unit_staff(message.unit, Role.LIAISON) or list(selectors.dispatchers())


def confirm_deadlines(*, by=None):
    """重新计算期限: count every open message's provisional due date again on today's
    calendar, once its years are known (the operator confirmed them, or the package now
    covers them). A date that moves is a new deadline version with its reason; the unit and
    the citizen are told. Returns the number of messages whose date moved."""
    calendar = WorkingCalendar.load()
    moved = 0
    pending = Message.objects.filter(due_provisional=True, status__in=workflow.OPEN_STATES)
    for pk in pending.values_list("pk", flat=True):
        moved += _recount_deadline(pk, calendar, by)
    return moved


@transaction.atomic
def _recount_deadline(pk, calendar, by):
    message = Message.objects.select_for_update().filter(pk=pk, due_provisional=True).first()
    if message is None or message.status not in workflow.OPEN_STATES:
        return 0
    old_due = message.due_at
    place_deadline(message, due_from_receipt(message, calendar), calendar)
    if message.due_provisional:  # some year it reaches is still unknown
        return 0
    if message.due_at == old_due:
        # Same day, no new version; the reminder (the working day before) may still move.
        message.save(update_fields=["due_provisional", "remind_at"])
        schedule_alerts(message)
        return 0
    old_day, new_day = local_date(old_due), local_date(message.due_at)
    explanation = _("Counted on the published holiday arrangement: due %(old)s → %(new)s") % {
        "old": f"{old_day:%Y-%m-%d}",
        "new": f"{new_day:%Y-%m-%d}",
    }
    message.deadline_version += 1
    message.save()
    record_deadline(message, reason=DeadlineChange.Reason.CALENDAR, by=by, note=explanation)
    note(
        message,
        "recount_deadline",
        by=by,
        comment=explanation,
        detail={"from": f"{old_day:%Y-%m-%d}", "to": f"{new_day:%Y-%m-%d}"},
    )
    notify(
        _alert_recipients(message, overdue=False),
        kind="message_deadline_recounted",
        title=_("New due date %(due)s: %(subject)s")
        % {"due": f"{new_day:%Y-%m-%d}", "subject": message.subject},
        body=explanation,
        url=change_url(message),
        key=f"message:{message.pk}:recount:v{message.deadline_version}",
    )
    email_citizen(
        message,
        _("New reply date for your message %(code)s") % {"code": message.tracking_code},
        _(
            "The holiday arrangement for the coming year has been published, so the date by "
            "which your message “%(subject)s” will be answered was counted again: %(due)s. "
            "Follow it on %(url)s."
        )
        % {"subject": message.subject, "due": f"{new_day:%Y-%m-%d}", "url": tracking_url(message)},
    )
    return 1


def calendar_health(today=None):
    """日历健康检查: where this year's and next year's working days come from (package,
    operator, or provisional: computed from the holiday rules without 调休).

    This year provisional is an error; next year provisional is a warning from 1 November,
    when the State Council's notice is due and late-December deadlines reach into January.
    """
    today = today or timezone.localdate()
    calendar = WorkingCalendar.load()
    years = {year: calendar.source(year) for year in (today.year, today.year + 1)}
    if years[today.year] == CalendarSource.PROVISIONAL:
        status = "error"
    elif years[today.year + 1] == CalendarSource.PROVISIONAL and today >= date(today.year, 11, 1):
        status = "warning"
    else:
        status = "ok"
    return {"status": status, "years": years}


def check_calendar_coverage(today=None):
    """Daily: count provisional due dates again once their years are known (a package
    upgrade needs no one to act), and alert the operators (once per year) while a year that
    deadlines reach is still provisional."""
    today = today or timezone.localdate()
    confirm_deadlines()
    health = calendar_health(today)
    if health["status"] == "ok":
        return health
    year = min(y for y, source in health["years"].items() if source == CalendarSource.PROVISIONAL)
    notify(
        operators(),
        kind="calendar_missing_year",
        title=_("Enter the holiday arrangement of %(year)s: deadlines reaching it are provisional")
        % {"year": year},
        body=_(
            "The chinesecalendar package does not know %(year)s yet, so due dates in it are "
            "counted on the statutory holidays without adjusted workdays and marked "
            "provisional. Enter the State Council's holidays and adjusted workdays as "
            "working-day overrides and confirm the year, or upgrade the package: every open "
            "message's due date is then counted again."
        )
        % {"year": year},
        url=changelist_url(WorkingDayOverride),
        key=f"calendar-missing:{year}",
    )
    return health


def close_unsupplied_at_cap(now=None):
    """未补充材料: close the messages still waiting for the citizen at their 3-month cap,
    with the reason recorded and the citizen told. Returns how many were closed."""
    now = now or timezone.now()
    due = Message.objects.filter(status=MessageStatus.AWAITING_INFO, cap_at__lt=now)
    return sum(_close_unsupplied(pk, now) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _close_unsupplied(pk, now):
    message = Message.objects.select_for_update().get(pk=pk)
    if message.status != MessageStatus.AWAITING_INFO or message.cap_at >= now:
        return 0
    reason = _("The information asked for was not supplied by %(cap)s, 3 months after receipt.") % {
        "cap": f"{local_date(message.cap_at):%Y-%m-%d}"
    }
    fire(message, "close_unsupplied", comment=reason, detail={"reason": "not_supplied"})
    email_citizen(
        message,
        _("Your message %(code)s was closed") % {"code": message.tracking_code},
        _("%(reason)s You may write a new message with the information.") % {"reason": reason},
    )
    return 1
