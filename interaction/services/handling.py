"""办理 — the dispatcher's and the unit's handling of a message: release or discard a held
one, route, transfer, change its type, merge duplicates, ask the citizen, close; and who
may see the citizen's contact data."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.audit import record
from columns.models import Role, Unit
from columns.notifications import notify

from .. import selectors, workflow
from ..models import DeadlineChange, Message, MessageKind, MessageStatus
from ..working_days import WorkingCalendar, local_date
from .deadline_versions import due_from_receipt, set_deadline
from .steps import email_citizen, fire, lock, note, required, tracking_url, unit_staff

#: A unit may ask to transfer a message within 3 working days of receiving it [C质监§15].
TRANSFER_WINDOW_WORKING_DAYS = 3


@transaction.atomic
def release(*, message, by):
    """放行: the dispatcher finds a held message acceptable; it goes on to be routed."""
    message = lock(message)
    workflow.require_action(message, by, "release")
    fire(message, "release", by=by)
    return message


@transaction.atomic
def discard(*, message, by, reason):
    """不予受理: the dispatcher closes a held message (abuse, advertising), saying why."""
    message = lock(message)
    workflow.require_action(message, by, "discard")
    reason = required(reason, _("Give the reason for not accepting the message."))
    fire(message, "discard", by=by, comment=reason)
    return message


def _assign(message, unit, at=None):
    liaison = unit.liaison if unit.liaison and unit.liaison.is_active else None
    message.unit = unit
    message.assignee = liaison or next(iter(unit_staff(unit, Role.LIAISON)), None)
    message.assigned_at = at or timezone.now()
    message.save(update_fields=["unit", "assignee", "assigned_at"])


def _notify_unit_assigned(message):
    notify(
        unit_staff(message.unit, Role.LIAISON),
        kind="message_assigned",
        title=_("Message to answer by %(due)s: %(subject)s")
        % {"due": f"{local_date(message.due_at):%Y-%m-%d}", "subject": message.subject},
        url=change_url(message),
        key=f"message:{message.pk}:assigned:{message.unit_id}:{message.assigned_at.isoformat()}",
    )


@transaction.atomic
def route(*, message, by, unit, at=None):
    """分办: the dispatcher sends a message to the unit that must answer it."""
    message = lock(message)
    workflow.require_action(message, by, "route")
    if not isinstance(unit, Unit):
        raise ValidationError(_("Choose the unit that must answer the message."))
    _assign(message, unit, at=at)
    fire(message, "route", by=by, detail={"unit": unit.pk}, at=at)
    _notify_unit_assigned(message)
    return message


@transaction.atomic
def request_transfer(*, message, by, reason, at=None):
    """申请转办: the unit says the message is not theirs, within 3 working days of receiving it."""
    now = at or timezone.now()
    message = lock(message)
    workflow.require_action(message, by, "request_transfer")
    reason = required(reason, _("Say why the message is not your unit's and whose it is."))
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
    fire(message, "request_transfer", by=by, comment=reason, at=now)
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
    message = lock(message)
    workflow.require_action(message, by, "decide_transfer")
    if not approve:
        reason = required(reason, _("Say why the message stays with the unit."))
        fire(message, "reject_transfer", by=by, comment=reason)
        return message
    if not isinstance(unit, Unit) or unit.pk == message.unit_id:
        raise ValidationError(_("Choose the other unit the message goes to."))
    previous = message.unit_id
    _assign(message, unit)
    fire(
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
    message = lock(message)
    workflow.require_action(message, by, "change_kind")
    if kind not in MessageKind.values or kind == message.kind:
        raise ValidationError(_("Choose a different type."))
    reason = required(reason, _("Say why the type changes."))
    calendar = WorkingCalendar.load()
    previous = message.kind
    message.kind = kind
    set_deadline(
        message,
        due_day=due_from_receipt(message, calendar),
        reason=DeadlineChange.Reason.TYPE_CHANGE,
        by=by,
        note=reason,
        calendar=calendar,
        at=at,
    )
    note(
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
    message = lock(message)
    workflow.require_action(message, by, "merge")
    into = lock(into)
    if into.pk == message.pk or into.status in (MessageStatus.MERGED, MessageStatus.CLOSED):
        raise ValidationError(_("Choose another message that is still open to merge into."))
    same_phone = message.phone and message.phone == into.phone
    same_email = message.email and message.email.lower() == into.email.lower()
    if not (same_phone or same_email):
        raise ValidationError(
            _("Only messages from the same contact (phone or e-mail) can be merged.")
        )
    message.merged_into = into
    fire(message, "merge", by=by, detail={"into": into.tracking_code}, at=at)
    return message


@transaction.atomic
def close(*, message, by):
    """办结: the dispatcher closes an answered message the citizen has not rated."""
    message = lock(message)
    workflow.require_action(message, by, "close")
    fire(message, "close", by=by)
    return message


@transaction.atomic
def request_info(*, message, by, question, at=None):
    """请求补充材料: the unit asks the citizen; the clock stops until they answer."""
    now = at or timezone.now()
    message = lock(message)
    workflow.require_action(message, by, "request_info")
    question = required(question, _("Write what the citizen should add."))
    fire(message, "request_info", by=by, comment=question, at=now)
    message.clock_stopped_at = now
    message.save(update_fields=["clock_stopped_at"])
    email_citizen(
        message,
        _("Please add information to your message %(code)s") % {"code": message.tracking_code},
        _("%(question)s\n\nAnswer on %(url)s with your tracking code.")
        % {"question": question, "url": tracking_url(message)},
    )
    return message


def view_contact(*, message, by, request=None):
    """查看联系方式: the citizen's contact data for the dispatcher or the assigned unit, each
    view recorded in the operation log."""
    if not selectors.may_see_contact(by, message):
        raise PermissionDenied(
            _("Contact data are visible only to the dispatcher and the unit handling it.")
        )
    record("message_contact_viewed", actor=by, target=message, request=request)
    return {"name": message.name, "phone": message.phone, "email": message.email}


def hand_over_messages(*, unit, old_user, new_user):
    """The old liaison's open message assignments in unit go to the new liaison."""
    moved = Message.objects.filter(
        unit=unit, assignee=old_user, status__in=workflow.OPEN_STATES
    ).update(assignee=new_user)
    return {"messages": moved}
