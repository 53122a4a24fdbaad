"""The message state machine declared as data: states, transitions and who fires them.

held → received → assigned → (transfer_requested → assigned, reassigned) → reply_drafted →
reply_approved → answered → rated → closed; assigned ⇄ awaiting_info stops the clock; a rated
message the citizen found unsatisfying is reopened once; duplicates are merged. Only
interaction.services calls fire(); nothing else assigns Message.status.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import MessageStatus as S


class Actor:
    """Who fires a transition; services check it against the user's roles and unit."""

    SYSTEM = "system"
    CITIZEN = "citizen"
    DISPATCHER = "dispatcher"
    UNIT = "unit"  # the assigned unit's liaison or section head
    SECTION_HEAD = "section_head"  # of the assigned unit
    LEADER = "leader"  # the assigned unit's deputy leader, where the site requires


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    actor: str


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("release", frozenset({S.HELD}), S.RECEIVED, Actor.DISPATCHER),
        Transition("discard", frozenset({S.HELD}), S.CLOSED, Actor.DISPATCHER),
        Transition("route", frozenset({S.RECEIVED}), S.ASSIGNED, Actor.DISPATCHER),
        Transition("request_transfer", frozenset({S.ASSIGNED}), S.TRANSFER_REQUESTED, Actor.UNIT),
        Transition(
            "approve_transfer", frozenset({S.TRANSFER_REQUESTED}), S.ASSIGNED, Actor.DISPATCHER
        ),
        Transition(
            "reject_transfer", frozenset({S.TRANSFER_REQUESTED}), S.ASSIGNED, Actor.DISPATCHER
        ),
        Transition("request_info", frozenset({S.ASSIGNED}), S.AWAITING_INFO, Actor.UNIT),
        Transition("supply_info", frozenset({S.AWAITING_INFO}), S.ASSIGNED, Actor.CITIZEN),
        # 未补充材料: the citizen has not answered by the 3-month cap, which never moves.
        Transition("close_unsupplied", frozenset({S.AWAITING_INFO}), S.CLOSED, Actor.SYSTEM),
        Transition(
            "draft_reply", frozenset({S.ASSIGNED, S.REPLY_DRAFTED}), S.REPLY_DRAFTED, Actor.UNIT
        ),
        Transition(
            "approve_reply", frozenset({S.REPLY_DRAFTED}), S.REPLY_APPROVED, Actor.SECTION_HEAD
        ),
        Transition(
            "return_reply",
            frozenset({S.REPLY_DRAFTED, S.REPLY_APPROVED}),
            S.ASSIGNED,
            Actor.SECTION_HEAD,
        ),
        # Fired by the last approval: the section head's, or the leader's where required.
        Transition("send_reply", frozenset({S.REPLY_APPROVED}), S.ANSWERED, Actor.SECTION_HEAD),
        Transition("rate", frozenset({S.ANSWERED}), S.RATED, Actor.CITIZEN),
        Transition("reopen", frozenset({S.RATED}), S.ASSIGNED, Actor.CITIZEN),
        Transition("close", frozenset({S.ANSWERED, S.RATED}), S.CLOSED, Actor.DISPATCHER),
        Transition(
            "merge", frozenset({S.HELD, S.RECEIVED, S.ASSIGNED}), S.MERGED, Actor.DISPATCHER
        ),
    )
}

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


def can_fire(message, name):
    return message.status in TRANSITIONS[name].sources


def check(message, name):
    """Refuse, with a message saying why, a transition the message's state does not allow."""
    if not can_fire(message, name):
        raise ValidationError(
            _("This cannot be done to a message that is “%(status)s”; reload the page.")
            % {"status": message.get_status_display()},
            code="invalid_transition",
        )


def fire(message, name):
    """Move message along transition name, or refuse."""
    check(message, name)
    message.status = TRANSITIONS[name].target
    return message
