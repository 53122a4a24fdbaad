"""The request state machine declared as data: states and transitions (who may fire each is
checked in disclosure.services: the dispatcher assigns, the holding unit handles, its section
head approves the reply, the applicant clarifies, the beat withdraws).

received (登记) → assigned (to the holding unit) ⇄ clarification (补正: the period counts afresh
from the clarification; none in time → withdrawn) ⇄ consulting (征求第三方意见: not counted) →
reply_drafted (告知书 to approve) → answered (approved, sent) → closed (delivered). Only
disclosure.services calls fire(); nothing else assigns DisclosureRequest.status.
"""

from django.utils.translation import gettext as _

from columns.actions import StateMachine, Transition

from .models import RequestStatus as S


def _wrong_state(request):
    return _("This cannot be done to a request that is “%(status)s”; reload the page.") % {
        "status": request.get_status_display()
    }


MACHINE = StateMachine(
    [
        Transition("assign", frozenset({S.RECEIVED}), S.ASSIGNED),
        Transition("request_clarification", frozenset({S.ASSIGNED}), S.CLARIFICATION),
        Transition("supply_clarification", frozenset({S.CLARIFICATION}), S.ASSIGNED),
        # Art. 30: no clarification within the period set = the request is given up.
        Transition("withdraw_unclarified", frozenset({S.CLARIFICATION}), S.WITHDRAWN),
        Transition("start_consultation", frozenset({S.ASSIGNED}), S.CONSULTING),
        Transition("end_consultation", frozenset({S.CONSULTING}), S.ASSIGNED),
        Transition("draft_reply", frozenset({S.ASSIGNED, S.REPLY_DRAFTED}), S.REPLY_DRAFTED),
        Transition("return_reply", frozenset({S.REPLY_DRAFTED}), S.ASSIGNED),
        Transition("approve_reply", frozenset({S.REPLY_DRAFTED}), S.ANSWERED),
        Transition("close", frozenset({S.ANSWERED}), S.CLOSED),
    ],
    wrong_state=_wrong_state,
)
TRANSITIONS = MACHINE.transitions
can_fire, check, fire = MACHINE.can_fire, MACHINE.check, MACHINE.fire


#: The 20 working days run in these states.
CLOCK_RUNNING = frozenset({S.RECEIVED, S.ASSIGNED, S.REPLY_DRAFTED})
#: Consultation time is not counted (Art. 33 ¶2).
CLOCK_PAUSED = frozenset({S.CONSULTING})
#: Not answered yet: the annual report carries these over.
OPEN_STATES = CLOCK_RUNNING | CLOCK_PAUSED | {S.CLARIFICATION}
#: An extension may be asked for while the unit works on the request.
EXTENDABLE = frozenset({S.ASSIGNED, S.CONSULTING, S.REPLY_DRAFTED})
#: The applicant may read the reply and download the 告知书.
ANSWERED_STATES = frozenset({S.ANSWERED, S.CLOSED})
