"""The generated check of a state machine: for every demo account and every action, the action
is offered (available_actions) exactly when its service accepts it.

Each call runs in a savepoint that is rolled back, so every account meets the same object in
the same state.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from columns.demo import ACCOUNTS

#: Every account the demo creates, each with its role and unit.
DEMO_ACCOUNTS = [username for username, _name, _unit, _roles in ACCOUNTS]


class _Accepted(Exception):
    """Raised after a service call went through, to roll its savepoint back."""


def accepted(call):
    """Whether call (a service call) goes through; its changes are rolled back either way."""
    try:
        with transaction.atomic():
            call()
            raise _Accepted
    except _Accepted:
        return True
    except (PermissionDenied, ValidationError):
        return False


def compare(*, obj, available, calls, reload):
    """([(account, action, offered, accepted)] where the offer and the service disagree, the
    names of the actions some account was offered).

    available(obj, user) is the state machine's answer; calls maps each action of the machine
    to a function (obj, user) calling its service with valid input; reload(obj) re-reads obj.
    """
    found, offered_to_someone = [], set()
    for username in DEMO_ACCOUNTS:
        user = get_user_model().objects.get(username=username)
        offered = {action.name for action in available(reload(obj), user)}
        assert offered <= set(calls), f"actions offered but not checked: {offered - set(calls)}"
        offered_to_someone |= offered
        for name, call in calls.items():
            went_through = accepted(lambda call=call, user=user: call(reload(obj), user))
            if went_through != (name in offered):
                found.append((username, name, name in offered, went_through))
    return found, offered_to_someone


def assert_offered_exactly_where_accepted(states, *, table, available, calls, model):
    """states: (state name, builder) pairs, each builder returning an object in that state
    (called in turn, so a builder may move the previous one's object on). For each object,
    compare() every account's offer with what each service accepts: no disagreement anywhere,
    and every action offered to somebody in some state (the matrix is not empty)."""
    assert set(calls) == set(table.actions), "every action is checked"
    found, offered = [], set()
    for state, build in states:
        disagreements, offered_here = compare(
            obj=build(),
            available=available,
            calls=calls,
            reload=lambda obj: model.objects.get(pk=obj.pk),
        )
        found += [(state, *row) for row in disagreements]
        offered |= offered_here
    assert found == []
    assert offered == set(calls)
