"""The state machine of requests the operator decides once (objections, special topics).

Declared as data: a request moves from pending to accepted or rejected and never again.
Services call require_action() and then decide(); nothing else sets a request's status. The
admin offers the decision page to whom available_actions() names.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions import Action, ActionTable
from .models import RequestStatus
from .selectors import is_operator

#: (state, action) -> next state
TRANSITIONS = {
    (RequestStatus.PENDING, "accept"): RequestStatus.ACCEPTED,
    (RequestStatus.PENDING, "reject"): RequestStatus.REJECTED,
}


def _already_decided(request):
    return _("This request was already decided (%(status)s); it cannot be decided again.") % {
        "status": request.get_status_display()
    }


def _operator(request, user):
    if not is_operator(user):
        return _("Only the platform operator decides objections and topic requests.")
    return None


def _sources(name):
    return frozenset(state for state, action in TRANSITIONS if action == name)


ACTION_TABLE = ActionTable(
    [
        Action("accept", gettext_lazy("Accept"), _sources("accept"), "operator", ("reason",)),
        Action("reject", gettext_lazy("Reject"), _sources("reject"), "operator", ("reason",)),
    ],
    actors={"operator": _operator},
    wrong_state=_already_decided,
)


#: available_actions(request, user): the decisions user may take on request now (both, for the
#: operator, while it is pending). require_action(request, user, name): the decision, or
#: PermissionDenied / ValidationError saying why not; services call it on the locked row first.
available_actions, require_action = ACTION_TABLE.available, ACTION_TABLE.require


def decide(request, action, *, decided_by, reason):
    """Apply the operator's decision to a (locked) request row and save it."""
    request.status = TRANSITIONS[(request.status, action)]
    request.decided_by = decided_by
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return request
