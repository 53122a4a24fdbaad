"""Which actions a user may take on an object now: the one shape every state machine answers in.

Each workflow module declares its actions as data — the states an action can be taken in,
the name of the actor rule that says who takes it, what its form must give — and builds an
ActionTable from them. Services call require() first thing; the admin's buttons and the API
list available(); so the rule of who may act is written once (as Wagtail's Task.get_actions).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError

from .selectors import has_role


@dataclass(frozen=True)
class Transition:
    """One move of a state machine: from any of sources to target."""

    name: str
    sources: frozenset
    target: str


class StateMachine:
    """A state machine's transitions (``transitions``: name -> Transition) over its objects'
    ``status``; wrong_state(obj) is what a refusal says. Its module binds fire, the only code
    that assigns the status."""

    def __init__(self, transitions, *, wrong_state):
        self.transitions = {t.name: t for t in transitions}
        self.wrong_state = wrong_state

    def can_fire(self, obj, name):
        return obj.status in self.transitions[name].sources

    def check(self, obj, name):
        """Refuse, with a message saying why, a transition obj's state does not allow."""
        if not self.can_fire(obj, name):
            raise ValidationError(self.wrong_state(obj), code="invalid_transition")

    def fire(self, obj, name):
        """Move obj along transition name, or refuse."""
        self.check(obj, name)
        obj.status = self.transitions[name].target
        return obj


@dataclass(frozen=True)
class Action:
    """办理动作 — one thing a user may do to an object of a state machine.

    sources: the states it can be taken in; actor: the name of its rule in the table's actors;
    fields: what its form must give (a comment, a unit, a time); guard(obj): a condition
    beyond the state, returning the refusal text or None.
    """

    name: str
    label: str
    sources: frozenset
    actor: str
    fields: tuple = ()
    guard: Callable | None = field(default=None, compare=False)


def unit_roles(refusal, *roles):
    """The actor rule: user holds one of roles in the unit obj is assigned to (obj.unit);
    refusal (a lazy translation) is what anybody else is told."""

    def rule(obj, user):
        if obj.unit is None or not any(has_role(user, role, obj.unit) for role in roles):
            return str(refusal)
        return None

    return rule


class ActionTable:
    """A state machine's actions and actor rules (执行人规则); answers available() and require().

    actors: {rule name: function (obj, user) -> None if user may act, else the refusal text};
    wrong_state(obj): what a user is told when obj's state does not allow the action.
    """

    def __init__(self, actions, *, actors, wrong_state):
        self.actions = {action.name: action for action in actions}
        self.actors = actors
        self.wrong_state = wrong_state
        unknown = {a.actor for a in actions} - set(actors)
        assert not unknown, f"actions name unknown actor rules: {unknown}"

    def __getitem__(self, name):
        return self.actions[name]

    def _refusal(self, obj, user, action):
        """The error saying why user may not take action on obj now, or None if they may."""
        refusal = self.actors[action.actor](obj, user)
        if refusal:
            return PermissionDenied(refusal)
        # The guard speaks first: "complete these fields" helps more than "it is a draft".
        reason = action.guard(obj) if action.guard else None
        if reason:
            return ValidationError(reason)
        if obj.status not in action.sources:
            return ValidationError(self.wrong_state(obj), code="invalid_transition")
        return None

    def available(self, obj, user):
        """The actions user may take on obj now, in declaration order."""
        return [a for a in self.actions.values() if self._refusal(obj, user, a) is None]

    def require(self, obj, user, name):
        """The action name, or PermissionDenied / ValidationError saying why user may not take it.

        Services call it on the row they have locked, so the answer holds until the commit.
        """
        action = self.actions[name]
        refused = self._refusal(obj, user, action)
        if refused is not None:
            raise refused
        return action
