"""The message state machine declared as data: states, transitions and who fires them.

held → received → assigned → (transfer_requested → assigned, reassigned) → reply_drafted →
reply_approved → answered → rated → closed; assigned ⇄ awaiting_info stops the clock; a rated
message the citizen found unsatisfying is reopened once; duplicates are merged. Only
interaction.services calls fire(); nothing else assigns Message.status.

ACTIONS say which staff action may be taken in which state and by whom: services call
require_action() first, the admin's buttons list available_actions(). The citizen's own
transitions (supply_info, rate, reopen) are taken on the tracking page with the tracking code,
without an account; the system's (close_unsupplied, send_reply) by the beat and by the last
approval.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from columns.actions import Action, ActionTable, StateMachine, Transition, unit_roles
from columns.models import Role

from . import selectors
from .models import ExtensionRequest
from .models import MessageStatus as S


def _wrong_state(message):
    return _("This cannot be done to a message that is “%(status)s”; reload the page.") % {
        "status": message.get_status_display()
    }


MACHINE = StateMachine(
    [
        Transition("release", frozenset({S.HELD}), S.RECEIVED),
        Transition("discard", frozenset({S.HELD}), S.CLOSED),
        Transition("route", frozenset({S.RECEIVED}), S.ASSIGNED),
        Transition("request_transfer", frozenset({S.ASSIGNED}), S.TRANSFER_REQUESTED),
        Transition("approve_transfer", frozenset({S.TRANSFER_REQUESTED}), S.ASSIGNED),
        Transition("reject_transfer", frozenset({S.TRANSFER_REQUESTED}), S.ASSIGNED),
        Transition("request_info", frozenset({S.ASSIGNED}), S.AWAITING_INFO),
        Transition("supply_info", frozenset({S.AWAITING_INFO}), S.ASSIGNED),
        # 未补充材料: the citizen has not answered by the 3-month cap, which never moves.
        Transition("close_unsupplied", frozenset({S.AWAITING_INFO}), S.CLOSED),
        Transition("draft_reply", frozenset({S.ASSIGNED, S.REPLY_DRAFTED}), S.REPLY_DRAFTED),
        Transition("approve_reply", frozenset({S.REPLY_DRAFTED}), S.REPLY_APPROVED),
        Transition("return_reply", frozenset({S.REPLY_DRAFTED, S.REPLY_APPROVED}), S.ASSIGNED),
        # Fired by the last approval: the section head's, or the leader's where required.
        Transition("send_reply", frozenset({S.REPLY_APPROVED}), S.ANSWERED),
        Transition("rate", frozenset({S.ANSWERED}), S.RATED),
        Transition("reopen", frozenset({S.RATED}), S.ASSIGNED),
        Transition("close", frozenset({S.ANSWERED, S.RATED}), S.CLOSED),
        Transition("merge", frozenset({S.HELD, S.RECEIVED, S.ASSIGNED}), S.MERGED),
    ],
    wrong_state=_wrong_state,
)
TRANSITIONS = MACHINE.transitions
fire = MACHINE.fire


#: The deadline runs in these states (from receipt, not from routing or transfer).
CLOCK_RUNNING = frozenset(
    {S.HELD, S.RECEIVED, S.ASSIGNED, S.TRANSFER_REQUESTED, S.REPLY_DRAFTED, S.REPLY_APPROVED}
)
#: A request to the citizen for more information stops the clock until they answer.
CLOCK_STOPPED = frozenset({S.AWAITING_INFO})
#: The dispatcher's inbox: not yet with a unit, or a unit wants it moved.
UNROUTED = frozenset({S.HELD, S.RECEIVED, S.TRANSFER_REQUESTED})
#: A unit may ask for an extension while it works on the message.
EXTENDABLE = frozenset({S.ASSIGNED, S.REPLY_DRAFTED, S.REPLY_APPROVED})
#: States in which the exchange has a reply the public list may show.
ANSWERED_STATES = frozenset({S.ANSWERED, S.RATED, S.CLOSED})
#: Still open for statistics (neither answered nor merged nor discarded).
OPEN_STATES = CLOCK_RUNNING | CLOCK_STOPPED


#: 延期申请: pending until the dispatcher approves or refuses it, once.
EXTENSION_OUTCOMES = {
    True: ExtensionRequest.Status.APPROVED,
    False: ExtensionRequest.Status.REJECTED,
}


def check_extension_pending(extension):
    if extension.status != ExtensionRequest.Status.PENDING:
        raise ValidationError(_("This extension request was already decided."))


def decide_extension_request(extension, *, approve):
    """Approve or refuse a pending extension request (the caller saves it)."""
    check_extension_pending(extension)
    extension.status = EXTENSION_OUTCOMES[approve]
    return extension


# --- who may take which action (执行人) ----------------------------------------------------


def _dispatcher(message, user):
    if not selectors.is_dispatcher(user):
        return _("Only the dispatcher may do this.")
    return None


_NOT_ASSIGNED = gettext_lazy("Only the staff of the unit the message is assigned to may do this.")


def _reviewer(message, user):
    """The section head reviews a drafted reply; the deputy leader, where the site requires,
    the approved one. Nobody reviews a reply they drafted."""
    if user.pk == message.reply_drafted_by_id:
        return _("Nobody may review a reply they drafted themselves.")
    role = Role.DEPUTY_LEADER if message.status == S.REPLY_APPROVED else Role.SECTION_HEAD
    return unit_roles(_NOT_ASSIGNED, role)(message, user)


ACTORS = {
    "dispatcher": _dispatcher,
    "unit": unit_roles(_NOT_ASSIGNED, Role.LIAISON, Role.SECTION_HEAD),
    "liaison": unit_roles(_NOT_ASSIGNED, Role.LIAISON),
    "reviewer": _reviewer,
}


def _pending_extension(message):
    return message.extensions.filter(status=ExtensionRequest.Status.PENDING).first()


def _no_pending_extension(message):
    if _pending_extension(message) is not None:
        return _("An extension request is already waiting for the dispatcher.")
    return None


def _has_pending_extension(message):
    if _pending_extension(message) is None:
        return _("No extension request is waiting for a decision.")
    return None


def _sources(name):
    return TRANSITIONS[name].sources


ACTION_TABLE = ActionTable(
    [
        Action("release", gettext_lazy("Accept the message"), _sources("release"), "dispatcher"),
        Action(
            "discard", gettext_lazy("Do not accept"), _sources("discard"), "dispatcher", ("reason",)
        ),
        Action("route", gettext_lazy("Route"), _sources("route"), "dispatcher", ("unit",)),
        Action(
            "decide_transfer",
            gettext_lazy("Decide the transfer"),
            _sources("approve_transfer"),
            "dispatcher",
            ("outcome", "unit", "reason"),
        ),
        Action(
            "change_kind",
            gettext_lazy("Change type"),
            OPEN_STATES,
            "dispatcher",
            ("kind", "reason"),
        ),
        Action("merge", gettext_lazy("Merge"), _sources("merge"), "dispatcher", ("into",)),
        Action("close", pgettext_lazy("message action", "Close"), _sources("close"), "dispatcher"),
        Action(
            "decide_extension",
            gettext_lazy("Decide the extension"),
            frozenset(S.values),
            "dispatcher",
            ("extension", "outcome", "reason"),
            guard=_has_pending_extension,
        ),
        Action(
            "request_transfer",
            gettext_lazy("Request a transfer"),
            _sources("request_transfer"),
            "unit",
            ("reason",),
        ),
        Action(
            "request_info",
            gettext_lazy("Ask (stops the clock)"),
            _sources("request_info"),
            "unit",
            ("question",),
        ),
        Action(
            "request_extension",
            gettext_lazy("Request an extension"),
            EXTENDABLE,
            "unit",
            ("working_days", "reason"),
            guard=_no_pending_extension,
        ),
        Action(
            "draft_reply",
            gettext_lazy("Save and send for approval"),
            _sources("draft_reply"),
            "liaison",
            ("body",),
        ),
        Action(
            "approve_reply",
            gettext_lazy("Approve the reply"),
            frozenset({S.REPLY_DRAFTED, S.REPLY_APPROVED}),
            "reviewer",
        ),
        Action(
            "return_reply",
            gettext_lazy("Return the reply"),
            _sources("return_reply"),
            "reviewer",
            ("comment",),
        ),
    ],
    actors=ACTORS,
    wrong_state=_wrong_state,
)


#: available_actions(message, user): the staff actions user may take on message now (the
#: admin's buttons, the API). require_action(message, user, name): the action, or
#: PermissionDenied / ValidationError saying why not; services call it on the locked row first.
available_actions, require_action = ACTION_TABLE.available, ACTION_TABLE.require
