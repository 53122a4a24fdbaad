"""Business actions on citizen messages: the only code that changes a message's status or
its due time.

Each action is one transaction: it locks the message, checks who may act, fires the
workflow transition, keeps a handling record (MessageEvent) and an operation-log entry where
staff act, and notifies the people concerned. Views, the admin and Celery tasks call these.
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url, changelist_url
from columns.audit import record
from columns.models import Role, Unit
from columns.notifications import notify
from columns.selectors import operators
from columns.site_urls import absolute_url
from publishing.content_checks import check_text
from publishing.services import holders_of

from . import masking, rate_limits, selectors, workflow
from .images import MAX_IMAGES
from .models import (
    DEFAULT_DEADLINE_DAYS,
    Channel,
    DeadlineAlert,
    DeadlineChange,
    ExtensionRequest,
    MailboxPolicy,
    Message,
    MessageEvent,
    MessageImage,
    MessageKind,
    MessageStatus,
    Rating,
    WorkingDayOverride,
)
from .working_days import (
    CalendarSource,
    WorkingCalendar,
    end_of_day,
    local_date,
    start_of_day,
)

#: No reply later than 3 months after receipt [P§13], extensions and clock stops included.
CAP_MONTHS = 3
#: A unit may ask to transfer a message within 3 working days of receiving it [C质监§15].
TRANSFER_WINDOW_WORKING_DAYS = 3
MAX_SUBJECT = 100
MAX_CONTENT = 3000
MAX_REPLY = 5000
#: Unambiguous characters for tracking codes and query passwords (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


# --- deadlines ------------------------------------------------------------------------------


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


def _due_from_receipt(message, calendar):
    """The deadline counted from receipt: the type's working days, the extensions granted
    and the working days the clock stood still."""
    granted = sum(
        ExtensionRequest.objects.filter(
            message_id=message.pk, status=ExtensionRequest.Status.APPROVED
        ).values_list("working_days", flat=True)
    )
    days = deadline_days(message.site, message.kind) + granted + message.clock_stopped_days
    return calendar.add_working_days(local_date(message.received_at), days)


def _place_deadline(message, due_day, calendar):
    """Due at the end of due_day (never past the cap); the reminder as the working day before
    it begins, so the assignee still has two working days. A day counted over a year whose
    holidays are not published yet makes the due date provisional."""
    due_day = min(due_day, local_date(message.cap_at))
    message.due_at = end_of_day(due_day)
    message.due_provisional = calendar.is_provisional(local_date(message.received_at), due_day)
    reminder_day = calendar.add_working_days(due_day, -1)
    message.remind_at = max(start_of_day(reminder_day), message.received_at)


def _set_deadline(message, *, due_day, reason, by=None, note="", calendar, at=None):
    """A new version of the message's due time, recorded with its reason."""
    _place_deadline(message, due_day, calendar)
    message.deadline_version += 1
    message.save()
    _record_deadline(message, reason=reason, by=by, note=note, at=at)


def _record_deadline(message, *, reason, by=None, note="", at=None):
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
    _schedule_alerts(message)


def _schedule_alerts(message):
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


# --- small shared steps ---------------------------------------------------------------------


def _lock(message):
    return Message.objects.select_for_update().get(pk=message.pk)


def _fire(message, name, *, by=None, comment="", detail=None, at=None):
    """Fire transition name, save the status and keep the handling record."""
    source = message.status
    workflow.fire(message, name)
    message.save()
    _note(message, name, by=by, comment=comment, detail=detail, from_status=source, at=at)
    if by is not None:
        record(f"message_{name}", actor=by, target=message, detail=detail)
    _schedule_alerts(message)


def _note(message, action, *, by=None, comment="", detail=None, from_status=None, at=None):
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


def _required(text, message):
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


def _tracking_url(message):
    return absolute_url(message.site_id, "/interaction/messages/track/")


def _email_citizen(message, subject, body):
    """Tell the citizen by e-mail (after commit); their address never leaves the mailbox.

    Robust: a failing mail server is logged and must not turn the committed action into an
    error page (a citizen told "error" after the message was stored would send it again).
    """
    if not message.email:
        return
    address = message.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]), robust=True
    )


def _unit_staff(unit, *roles):
    return [user for role in roles for user in holders_of(role, unit)]


def _new_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


# --- the citizen ----------------------------------------------------------------------------


def moderate(text):
    """The one sensitive-content checker on citizen text: its findings as stored dicts."""
    return [
        {
            "rule": f.rule,
            "severity": f.severity,
            "category": str(f.category),
            "match": f.match,
            "start": f.start,
            "end": f.end,
            "suggestion": str(f.suggestion or ""),
        }
        for f in check_text(text)
    ]


def submit_message(
    *,
    site,
    kind,
    subject,
    content,
    name,
    phone,
    email="",
    channel=Channel.UNIFIED,
    requested_unit=None,
    publish_allowed=True,
    page_url="",
    images=(),
    ip=None,
    at=None,
):
    """收信: store a citizen's message once with a unique tracking code and query password.

    Returns (message, password); the password is stored only hashed, so it is shown once and
    e-mailed. A message with a blocking finding of the content checker is held for the
    dispatcher. The due time runs from receipt, at the moment at (now by default).
    """
    if kind not in MessageKind.values:
        raise ValidationError(_("Choose the type of your message."))
    if channel not in Channel.values:
        raise ValidationError(_("Choose a mailbox."))
    if channel == Channel.UNIT and requested_unit is None:
        raise ValidationError(_("Choose the unit whose mailbox you are writing to."))
    subject = _required(subject, _("Give your message a subject."))
    content = _required(content, _("Write your message."))
    name = _required(name, _("Give your name."))
    phone = _required(phone, _("Give a phone number we can reach you on."))
    if len(subject) > MAX_SUBJECT or len(content) > MAX_CONTENT:
        raise ValidationError(
            _("The subject may have at most %(subject)s characters and the message %(content)s.")
            % {"subject": MAX_SUBJECT, "content": MAX_CONTENT}
        )
    if len(images) > MAX_IMAGES:
        raise ValidationError(_("Attach at most %(n)s pictures.") % {"n": MAX_IMAGES})
    findings = moderate(f"{subject}\n{content}")
    held = any(f["severity"] == "block" for f in findings)
    password = _new_code(8)
    calendar = WorkingCalendar.load()
    with transaction.atomic():
        rate_limits.refuse_when_used_up(
            "message",
            ip,
            _(
                "Too many messages were sent from your network address in the last hour "
                "(at most %(limit)s). Please try again later."
            ),
        )
        now = at or timezone.now()
        message = Message(
            site=site,
            kind=kind,
            channel=channel,
            requested_unit=requested_unit,
            subject=subject,
            content=content,
            page_url=page_url or "",
            name=name,
            phone=phone.strip(),
            email=(email or "").strip(),
            publish_allowed=publish_allowed,
            submitter_ip=ip,
            moderation_findings=findings,
            status=MessageStatus.HELD if held else MessageStatus.RECEIVED,
            query_password=make_password(password),
            received_at=now,
            cap_at=cap_for(now),
        )
        _place_deadline(message, _due_from_receipt(message, calendar), calendar)
        for _attempt in range(5):
            message.tracking_code = f"{local_date(now):%Y%m%d}{_new_code(6)}"
            try:
                with transaction.atomic():
                    message.save()
                break
            except IntegrityError:
                message.pk = None
        else:
            raise RuntimeError("no free tracking code after 5 attempts")
        _record_deadline(message, reason=DeadlineChange.Reason.RECEIPT, at=now)
        for upload in images:
            MessageImage.objects.create(message=message, image=upload)
        _note(
            message,
            "submitted",
            detail={"held": held, "findings": len(findings)},
            from_status="",
            at=now,
        )
        notify(
            selectors.dispatchers(),
            kind="message_received",
            title=(_("Held for moderation: %(subject)s") if held else _("New message: %(subject)s"))
            % {"subject": subject},
            url=change_url(message),
            key=f"message:{message.pk}:received",
        )
        _email_citizen(
            message,
            _("Your message was received: %(code)s") % {"code": message.tracking_code},
            _(
                "Tracking code: %(code)s\nQuery password: %(password)s\n"
                "Follow your message at %(url)s with both."
            )
            % {"code": message.tracking_code, "password": password, "url": _tracking_url(message)},
        )
    return message, password


def track(*, code, password, ip=None):
    """查询: the message with this tracking code if the query password matches.

    Both wrong and unknown give the same answer; repeated wrong attempts from one address
    are refused for an hour.
    """
    rate_limits.refuse_when_used_up(
        "tracking",
        ip,
        _("Too many wrong attempts from your network address; try again in an hour."),
    )
    message = Message.objects.filter(tracking_code=(code or "").strip().upper()).first()
    given = (password or "").strip().upper()
    if message is None:
        # The same hashing work as a wrong password, so the answer's timing does not tell
        # which tracking codes exist.
        make_password(given)
    if message is None or not check_password(given, message.query_password):
        rate_limits.record_tracking_failure(ip)
        raise ValidationError(
            _("The tracking code or the query password is wrong. Check both and try again."),
            code="wrong_credentials",
        )
    return message


@transaction.atomic
def supply_info(*, message, text):
    """补充材料: the citizen answers the unit's question; the clock runs again, and the due
    time moves by the working days it stood still (never past the cap, which stays)."""
    message = _lock(message)
    text = _required(text, _("Write the information you were asked for."))
    if len(text) > MAX_CONTENT:
        raise ValidationError(_("At most %(n)s characters.") % {"n": MAX_CONTENT})
    calendar = WorkingCalendar.load()
    now = timezone.now()
    stopped_since = message.clock_stopped_at
    paused = calendar.working_days_between(local_date(stopped_since), local_date(now))
    _fire(message, "supply_info", comment=text, detail={"paused_working_days": paused})
    message.clock_stopped_at = None
    message.clock_stopped_days += paused
    message.save(update_fields=["clock_stopped_at", "clock_stopped_days"])
    if paused:
        _set_deadline(
            message,
            due_day=_due_from_receipt(message, calendar),
            reason=DeadlineChange.Reason.CLOCK_STOPPED,
            note=_("%(n)s working days waiting for the citizen") % {"n": paused},
            calendar=calendar,
        )
    notify(
        _unit_staff(message.unit, Role.LIAISON),
        kind="message_info_supplied",
        title=_("The citizen answered: %(subject)s") % {"subject": message.subject},
        url=change_url(message),
        key=f"message:{message.pk}:info:{now.isoformat()}",
    )
    return message


@transaction.atomic
def rate(*, message, rating, comment="", at=None):
    """评价: satisfied or basically satisfied closes the message; unsatisfied may reopen it."""
    message = _lock(message)
    if rating not in Rating.values:
        raise ValidationError(_("Choose how satisfied you are with the reply."))
    message.rating = rating
    message.rated_at = at or timezone.now()
    _fire(
        message,
        "rate",
        comment=(comment or "").strip()[:MAX_CONTENT],
        detail={"rating": rating},
        at=message.rated_at,
    )
    if rating != Rating.UNSATISFIED:
        _fire(message, "close", detail={"after": "rating"}, at=message.rated_at)
    return message


@transaction.atomic
def reopen(*, message, reason):
    """重新办理: an unsatisfied citizen sends the message back to the unit, once."""
    message = _lock(message)
    reason = _required(reason, _("Say what is still missing from the reply."))
    if message.rating != Rating.UNSATISFIED:
        raise ValidationError(_("Only a reply rated unsatisfied can be reopened."))
    if message.reopened_at is not None:
        raise ValidationError(_("This message was reopened once already; it cannot be again."))
    message.reopened_at = timezone.now()
    _fire(message, "reopen", comment=reason)
    notify(
        [*_unit_staff(message.unit, Role.LIAISON), *selectors.dispatchers()],
        kind="message_reopened",
        title=_("Reopened by the citizen: %(subject)s") % {"subject": message.subject},
        body=reason,
        url=change_url(message),
        key=f"message:{message.pk}:reopened",
    )
    return message


# --- the dispatcher -------------------------------------------------------------------------


@transaction.atomic
def release(*, message, by):
    """放行: the dispatcher finds a held message acceptable; it goes on to be routed."""
    message = _lock(message)
    workflow.require_action(message, by, "release")
    _fire(message, "release", by=by)
    return message


@transaction.atomic
def discard(*, message, by, reason):
    """不予受理: the dispatcher closes a held message (abuse, advertising), saying why."""
    message = _lock(message)
    workflow.require_action(message, by, "discard")
    reason = _required(reason, _("Give the reason for not accepting the message."))
    _fire(message, "discard", by=by, comment=reason)
    return message


def _assign(message, unit, at=None):
    liaison = unit.liaison if unit.liaison and unit.liaison.is_active else None
    message.unit = unit
    message.assignee = liaison or next(iter(_unit_staff(unit, Role.LIAISON)), None)
    message.assigned_at = at or timezone.now()
    message.save(update_fields=["unit", "assignee", "assigned_at"])


def _notify_unit_assigned(message):
    notify(
        _unit_staff(message.unit, Role.LIAISON),
        kind="message_assigned",
        title=_("Message to answer by %(due)s: %(subject)s")
        % {"due": f"{local_date(message.due_at):%Y-%m-%d}", "subject": message.subject},
        url=change_url(message),
        key=f"message:{message.pk}:assigned:{message.unit_id}:{message.assigned_at.isoformat()}",
    )


@transaction.atomic
def route(*, message, by, unit, at=None):
    """分办: the dispatcher sends a message to the unit that must answer it."""
    message = _lock(message)
    workflow.require_action(message, by, "route")
    if not isinstance(unit, Unit):
        raise ValidationError(_("Choose the unit that must answer the message."))
    _assign(message, unit, at=at)
    _fire(message, "route", by=by, detail={"unit": unit.pk}, at=at)
    _notify_unit_assigned(message)
    return message


@transaction.atomic
def request_transfer(*, message, by, reason, at=None):
    """申请转办: the unit says the message is not theirs, within 3 working days of receiving it."""
    now = at or timezone.now()
    message = _lock(message)
    workflow.require_action(message, by, "request_transfer")
    reason = _required(reason, _("Say why the message is not your unit's and whose it is."))
    calendar = WorkingCalendar.load()
    waited = calendar.working_days_between(local_date(message.assigned_at), local_date(now))
    if waited > TRANSFER_WINDOW_WORKING_DAYS:
        raise ValidationError(
            _(
                "A transfer must be requested within %(n)s working days of receiving the "
                "message; it was assigned to your unit %(waited)s working days ago."
            )
            % {"n": TRANSFER_WINDOW_WORKING_DAYS, "waited": waited}
        )
    _fire(message, "request_transfer", by=by, comment=reason, at=now)
    notify(
        selectors.dispatchers(),
        kind="message_transfer_requested",
        title=_("Transfer requested by %(unit)s: %(subject)s")
        % {"unit": message.unit, "subject": message.subject},
        body=reason,
        url=change_url(message),
        key=f"message:{message.pk}:transfer:{now.isoformat()}",
    )
    return message


@transaction.atomic
def decide_transfer(*, message, by, approve, unit=None, reason=""):
    """转办: the dispatcher moves the message to another unit, or keeps it where it is. The
    due time does not move: it runs from receipt, not from transfer."""
    message = _lock(message)
    workflow.require_action(message, by, "decide_transfer")
    if not approve:
        reason = _required(reason, _("Say why the message stays with the unit."))
        _fire(message, "reject_transfer", by=by, comment=reason)
        return message
    if not isinstance(unit, Unit) or unit.pk == message.unit_id:
        raise ValidationError(_("Choose the other unit the message goes to."))
    previous = message.unit_id
    _assign(message, unit)
    _fire(
        message,
        "approve_transfer",
        by=by,
        comment=reason,
        detail={"from_unit": previous, "unit": unit.pk},
    )
    _notify_unit_assigned(message)
    return message


@transaction.atomic
def change_kind(*, message, by, kind, reason, at=None):
    """改变类型 (e.g. 咨询 → 需办理): the due time is computed again from receipt."""
    message = _lock(message)
    workflow.require_action(message, by, "change_kind")
    if kind not in MessageKind.values or kind == message.kind:
        raise ValidationError(_("Choose a different type."))
    reason = _required(reason, _("Say why the type changes."))
    calendar = WorkingCalendar.load()
    previous = message.kind
    message.kind = kind
    _set_deadline(
        message,
        due_day=_due_from_receipt(message, calendar),
        reason=DeadlineChange.Reason.TYPE_CHANGE,
        by=by,
        note=reason,
        calendar=calendar,
        at=at,
    )
    _note(
        message,
        "change_kind",
        by=by,
        comment=reason,
        detail={"from": previous, "to": kind},
        at=at,
    )
    record("message_kind_changed", actor=by, target=message, detail={"from": previous, "to": kind})
    return message


@transaction.atomic
def merge(*, message, into, by, at=None):
    """合并重复留言: a duplicate from the same contact joins the earlier message."""
    message = _lock(message)
    workflow.require_action(message, by, "merge")
    into = _lock(into)
    if into.pk == message.pk or into.status in (MessageStatus.MERGED, MessageStatus.CLOSED):
        raise ValidationError(_("Choose another message that is still open to merge into."))
    same_phone = message.phone and message.phone == into.phone
    same_email = message.email and message.email.lower() == into.email.lower()
    if not (same_phone or same_email):
        raise ValidationError(
            _("Only messages from the same contact (phone or e-mail) can be merged.")
        )
    message.merged_into = into
    _fire(message, "merge", by=by, detail={"into": into.tracking_code}, at=at)
    return message


@transaction.atomic
def close(*, message, by):
    """办结: the dispatcher closes an answered message the citizen has not rated."""
    message = _lock(message)
    workflow.require_action(message, by, "close")
    _fire(message, "close", by=by)
    return message


# --- the unit -------------------------------------------------------------------------------


@transaction.atomic
def request_info(*, message, by, question, at=None):
    """请求补充材料: the unit asks the citizen; the clock stops until they answer."""
    now = at or timezone.now()
    message = _lock(message)
    workflow.require_action(message, by, "request_info")
    question = _required(question, _("Write what the citizen should add."))
    _fire(message, "request_info", by=by, comment=question, at=now)
    message.clock_stopped_at = now
    message.save(update_fields=["clock_stopped_at"])
    _email_citizen(
        message,
        _("Please add information to your message %(code)s") % {"code": message.tracking_code},
        _("%(question)s\n\nAnswer on %(url)s with your tracking code.")
        % {"question": question, "url": _tracking_url(message)},
    )
    return message


@transaction.atomic
def request_extension(*, message, by, working_days, reason, at=None):
    """申请延期: the unit asks for more working days, never past the 3-month cap."""
    message = _lock(message)
    workflow.require_action(message, by, "request_extension")
    reason = _required(reason, _("Give the reason for the extension."))
    _check_within_cap(message, working_days, WorkingCalendar.load())
    extension = ExtensionRequest.objects.create(
        message=message,
        working_days=working_days,
        reason=reason,
        requested_by=by,
        requested_at=at or timezone.now(),
    )
    _note(
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


def _check_within_cap(message, working_days, calendar):
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


@transaction.atomic
def decide_extension(*, extension, by, approve, reason="", at=None):
    """批准延期: the dispatcher grants the working days (a new deadline version) or refuses."""
    now = at or timezone.now()
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    message = _lock(extension.message)
    workflow.require_action(message, by, "decide_extension")
    workflow.check_extension_pending(extension)
    if approve:
        calendar = WorkingCalendar.load()
        new_due = _check_within_cap(message, extension.working_days, calendar)
        _set_deadline(
            message,
            due_day=new_due,
            reason=DeadlineChange.Reason.EXTENSION,
            by=by,
            note=extension.reason,
            calendar=calendar,
            at=now,
        )
    else:
        reason = _required(reason, _("Say why the extension is refused."))
    workflow.decide_extension_request(extension, approve=approve)
    extension.decided_by = by
    extension.decided_at = now
    extension.decision_reason = reason
    extension.save()
    action = "approve_extension" if approve else "reject_extension"
    _note(
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


@transaction.atomic
def draft_reply(*, message, by, body, at=None):
    """拟写答复: the unit's liaison writes the reply; the section head approves it next."""
    now = at or timezone.now()
    message = _lock(message)
    workflow.require_action(message, by, "draft_reply")
    body = _required(body, _("Write the reply."))
    if len(body) > MAX_REPLY:
        raise ValidationError(_("The reply may have at most %(n)s characters.") % {"n": MAX_REPLY})
    message.reply_body = body
    message.reply_drafted_by = by
    _fire(message, "draft_reply", by=by, at=now)
    notify(
        _unit_staff(message.unit, Role.SECTION_HEAD),
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
    message = _lock(message)
    workflow.require_action(message, by, "approve_reply")
    if message.status == MessageStatus.REPLY_DRAFTED:
        _fire(message, "approve_reply", by=by, at=now)
        if _needs_leader(message):
            notify(
                _unit_staff(message.unit, Role.DEPUTY_LEADER),
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
    _fire(message, "send_reply", by=by, at=now)
    _email_citizen(
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
            "url": _tracking_url(message),
        },
    )


@transaction.atomic
def return_reply(*, message, by, comment):
    """退回答复: the section head or leader sends the draft back to the unit, saying why."""
    message = _lock(message)
    workflow.require_action(message, by, "return_reply")
    comment = _required(comment, _("Say what must change in the reply."))
    _fire(message, "return_reply", by=by, comment=comment)
    notify(
        [message.reply_drafted_by],
        kind="message_reply_returned",
        title=_("Reply returned: %(subject)s") % {"subject": message.subject},
        body=comment,
        url=change_url(message),
        key=f"message:{message.pk}:returned:{timezone.now().isoformat()}",
    )
    return message


# --- privacy --------------------------------------------------------------------------------


def view_contact(*, message, by, request=None):
    """查看联系方式: the citizen's contact data for the dispatcher or the assigned unit, each
    view recorded in the operation log."""
    if not selectors.may_see_contact(by, message):
        raise PermissionDenied(
            _("Contact data are visible only to the dispatcher and the unit handling it.")
        )
    record("message_contact_viewed", actor=by, target=message, request=request)
    return {"name": message.name, "phone": message.phone, "email": message.email}


# --- beat -----------------------------------------------------------------------------------


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
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("unit", "assignee")
        .filter(pk=pk, next_alert_at__lte=now)
        .first()
    )
    if message is None:  # another worker dealt with it meanwhile
        return 0
    overdue = now > message.due_at
    kind = DeadlineAlert.Kind.OVERDUE if overdue else DeadlineAlert.Kind.REMINDER
    recipients = _alert_recipients(message, overdue)
    try:
        with transaction.atomic():
            DeadlineAlert.objects.create(
                message=message,
                kind=kind,
                deadline_version=message.deadline_version,
                sent_at=now,
                recipients=sorted(u.get_username() for u in recipients),
            )
    except IntegrityError:
        _schedule_alerts(message)
        return 0
    due = f"{local_date(message.due_at):%Y-%m-%d}"
    title = (
        _("Overdue since %(due)s: %(subject)s (%(unit)s)")
        if overdue
        else _("Due at the end of %(due)s: %(subject)s (%(unit)s)")
    ) % {"due": due, "subject": message.subject, "unit": message.unit or _("not routed")}
    notify(
        recipients,
        kind=f"message_{kind}",
        title=title,
        url=change_url(message),
        key=f"message:{message.pk}:{kind}:v{message.deadline_version}",
    )
    _schedule_alerts(message)
    return 1


def _alert_recipients(message, overdue):
    """Reminder: the assignee (else the unit's liaisons); escalation: the unit's leaders and
    the dispatcher. Whoever is missing (an unrouted message, a unit without accounts), the
    dispatcher hears of it."""
    if message.unit is None:
        return list(selectors.dispatchers())
    if overdue:
        leaders = _unit_staff(message.unit, Role.PRINCIPAL_LEADER, Role.DEPUTY_LEADER)
        return [*leaders, *selectors.dispatchers()]
    if message.assignee is not None and message.assignee.is_active:
        return [message.assignee]
    return _unit_staff(message.unit, Role.LIAISON) or list(selectors.dispatchers())


# --- handover and calendar ------------------------------------------------------------------


def hand_over_messages(*, unit, old_user, new_user):
    """The old liaison's open message assignments in unit go to the new liaison."""
    moved = Message.objects.filter(
        unit=unit, assignee=old_user, status__in=workflow.OPEN_STATES
    ).update(assignee=new_user)
    return {"messages": moved}


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
    _place_deadline(message, _due_from_receipt(message, calendar), calendar)
    if message.due_provisional:  # some year it reaches is still unknown
        return 0
    if message.due_at == old_due:
        # Same day, no new version; the reminder (the working day before) may still move.
        message.save(update_fields=["due_provisional", "remind_at"])
        _schedule_alerts(message)
        return 0
    old_day, new_day = local_date(old_due), local_date(message.due_at)
    note = _("Counted on the published holiday arrangement: due %(old)s → %(new)s") % {
        "old": f"{old_day:%Y-%m-%d}",
        "new": f"{new_day:%Y-%m-%d}",
    }
    message.deadline_version += 1
    message.save()
    _record_deadline(message, reason=DeadlineChange.Reason.CALENDAR, by=by, note=note)
    _note(
        message,
        "recount_deadline",
        by=by,
        comment=note,
        detail={"from": f"{old_day:%Y-%m-%d}", "to": f"{new_day:%Y-%m-%d}"},
    )
    notify(
        _alert_recipients(message, overdue=False),
        kind="message_deadline_recounted",
        title=_("New due date %(due)s: %(subject)s")
        % {"due": f"{new_day:%Y-%m-%d}", "subject": message.subject},
        body=note,
        url=change_url(message),
        key=f"message:{message.pk}:recount:v{message.deadline_version}",
    )
    _email_citizen(
        message,
        _("New reply date for your message %(code)s") % {"code": message.tracking_code},
        _(
            "The holiday arrangement for the coming year has been published, so the date by "
            "which your message “%(subject)s” will be answered was counted again: %(due)s. "
            "Follow it on %(url)s."
        )
        % {"subject": message.subject, "due": f"{new_day:%Y-%m-%d}", "url": _tracking_url(message)},
    )
    return 1


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
    _fire(message, "close_unsupplied", comment=reason, detail={"reason": "not_supplied"})
    _email_citizen(
        message,
        _("Your message %(code)s was closed") % {"code": message.tracking_code},
        _("%(reason)s You may write a new message with the information.") % {"reason": reason},
    )
    return 1
