"""Reads of the mailbox: who sees which messages and their contact data, inboxes, the public
list and its statistics, and the deadline scan."""

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from columns.models import Role
from columns.selectors import has_role, roles_of, sees_everything, unit_of

from . import workflow
from .models import ExtensionRequest, Message, MessageEvent, MessageStatus

UNIT_STAFF_ROLES = (Role.LIAISON, Role.SECTION_HEAD, Role.DEPUTY_LEADER, Role.PRINCIPAL_LEADER)


def is_dispatcher(user):
    """互动交流受理中心: receives, routes and decides transfers and extensions."""
    return bool(user and user.is_authenticated and has_role(user, Role.DISPATCHER))


def dispatchers():
    return get_user_model().objects.filter(groups__name=Role.DISPATCHER, is_active=True)


def sees_every_unit(user):
    """The dispatcher and the platform roles: their mailbox spans every unit."""
    return sees_everything(user) or is_dispatcher(user)


def cases_for_user(user, model):
    """The one scoping rule for a unit's cases (model: Message here, disclosure's request):
    the dispatcher and platform roles see every case, a unit's staff only the cases assigned
    to their unit, anybody else none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return model.objects.none()
    if sees_every_unit(user):
        return model.objects.all()
    unit = unit_of(user)
    if unit is None or not roles_of(user) & set(UNIT_STAFF_ROLES):
        return model.objects.none()
    return model.objects.filter(unit=unit)


def messages_for_user(user):
    return cases_for_user(user, Message)


def may_see_contact(user, case):
    """A case's personal data (a citizen's contact data, an applicant's identity): only the
    dispatcher and the staff of the unit the case is assigned to."""
    if is_dispatcher(user):
        return True
    unit = unit_of(user) if getattr(user, "is_authenticated", False) else None
    return (
        unit is not None
        and case.unit_id == unit.pk
        and bool(roles_of(user) & set(UNIT_STAFF_ROLES))
    )


def may_search_contact(user):
    """Whether the user may filter or search their list of cases by personal data: the
    dispatcher, and a unit's staff whose list holds only their own unit's cases."""
    if is_dispatcher(user):
        return True
    return (
        not sees_everything(user)
        and unit_of(user) is not None
        and bool(roles_of(user) & set(UNIT_STAFF_ROLES))
    )


def by_urgency(queryset):
    """Open messages first, the nearest due time first."""
    return queryset.select_related("unit", "site").order_by("due_at", "pk")


def inbox(user):
    """待办 — what waits for this user, by section; each a queryset sorted by urgency."""
    sections = {}
    if is_dispatcher(user):
        sections["to_route"] = by_urgency(Message.objects.filter(status__in=workflow.UNROUTED))
        sections["extensions"] = (
            ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
            .select_related("message", "message__unit", "requested_by")
            .order_by("message__due_at")
        )
    unit = unit_of(user)
    if unit is not None:
        mine = Message.objects.filter(unit=unit)
        if has_role(user, Role.LIAISON, unit):
            sections["to_answer"] = by_urgency(
                mine.filter(status__in=workflow.CLOCK_RUNNING | workflow.CLOCK_STOPPED)
            )
        if has_role(user, Role.SECTION_HEAD, unit):
            sections["to_approve"] = by_urgency(
                mine.filter(status=MessageStatus.REPLY_DRAFTED).exclude(reply_drafted_by=user)
            )
        if has_role(user, Role.DEPUTY_LEADER, unit):
            sections["to_approve_as_leader"] = by_urgency(
                mine.filter(status=MessageStatus.REPLY_APPROVED).exclude(reply_drafted_by=user)
            )
    return sections


def published_messages(site=None):
    """公开的留言 — answered exchanges the citizen allowed to publish, newest answer first."""
    queryset = Message.objects.filter(is_public=True, status__in=workflow.ANSWERED_STATES)
    if site is not None:
        queryset = queryset.filter(site=site)
    return queryset.select_related("reply_unit").order_by("-answered_at", "-pk")


def statistics(site=None, now=None):
    """留言统计 by month of receipt and by unit: received, answered, answered on time, overdue
    (answered late, or open past due), average working days to reply, and clock stops.

    One grouped query; rows are dicts with month (aware datetime), unit name and the counts.
    """
    now = now or timezone.now()
    queryset = Message.objects.exclude(status=MessageStatus.MERGED)
    if site is not None:
        queryset = queryset.filter(site=site)
    open_overdue = Q(status__in=workflow.OPEN_STATES, due_at__lt=now)
    return list(
        queryset.annotate(month=TruncMonth("received_at"))
        .values("month", "unit__name")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_on_time=True)),
            overdue=Count("pk", filter=Q(answered_on_time=False) | open_overdue),
            average_working_days=Avg("working_days_to_reply"),
            clock_stops=Count("pk", filter=Q(clock_stopped_days__gt=0) | Q(status="awaiting_info")),
            clock_stopped_days=Sum("clock_stopped_days"),
        )
        .order_by("-month", "unit__name")
    )


def alerts_due(now):
    """The deadline scan: the messages whose reminder or escalation is due now.

    One query on the partial index over next_alert_at, however many messages are open:
    services keep next_alert_at at the next alert's time, and empty when none is pending.
    """
    return list(
        Message.objects.filter(next_alert_at__lte=now)
        .order_by("next_alert_at")
        .values_list("pk", flat=True)
    )


def messages_to_route():
    """待分办 — received or held messages no unit has yet, most urgent first."""
    return by_urgency(
        Message.objects.filter(status__in=workflow.UNROUTED - {MessageStatus.TRANSFER_REQUESTED})
    )


def transfer_requests():
    """转办申请 — messages a unit has asked the dispatcher to route elsewhere, oldest due first."""
    return by_urgency(Message.objects.filter(status=MessageStatus.TRANSFER_REQUESTED))


def overdue_messages(user, now=None):
    """已超期 — the user's open messages past their due time, longest overdue first."""
    now = now or timezone.now()
    return by_urgency(
        messages_for_user(user).filter(status__in=workflow.OPEN_STATES, due_at__lt=now)
    )


# --- the citizen's tracking page ----------------------------------------------------------------


def tracked_message(site, pk):
    """The message a citizen tracks (its pk kept in their session), if it is on this site."""
    return Message.objects.filter(pk=pk, site=site).first()


def citizen_timeline(message):
    """The steps of message the citizen is shown, in order (internal events left out)."""
    return message.events.filter(action__in=MessageEvent.LABELS).select_related("unit")


def open_question(message):
    """The latest request for more information, which the citizen is asked to answer."""
    return message.events.filter(action="request_info").last()
