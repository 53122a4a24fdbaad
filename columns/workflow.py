"""The state machine of requests the operator decides once (objections, special topics).

Declared as data: a request moves from pending to accepted or rejected and never again.
Services call decide(); nothing else sets a request's status.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RequestStatus

#: (state, action) -> next state
TRANSITIONS = {
    (RequestStatus.PENDING, "accept"): RequestStatus.ACCEPTED,
    (RequestStatus.PENDING, "reject"): RequestStatus.REJECTED,
}


def next_state(request, action):
    """The state action leads to, or a ValidationError saying why it cannot be taken."""
    target = TRANSITIONS.get((request.status, action))
    if target is None:
        raise ValidationError(
            _("This request was already decided (%(status)s); it cannot be decided again.")
            % {"status": request.get_status_display()}
        )
    return target


def decide(request, action, *, decided_by, reason):
    """Apply the operator's decision to a (locked) request row and save it."""
    request.status = next_state(request, action)
    request.decided_by = decided_by
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return request
