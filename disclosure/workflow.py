"""The request state machine declared as data: states, transitions, and the staff actions with
who may take each (ACTION_TABLE: the dispatcher assigns, the holding unit handles, its liaison
drafts the reply, its section head approves it, the head of its disclosure office decides an
extension). The applicant's clarification and the beat's withdrawal are transitions without a
staff actor. Services call require_action() on the locked row; the admin's panel offers what
available_actions() names.

received (登记) → assigned (to the holding unit) ⇄ clarification (补正: the period counts afresh
from the clarification; none in time → withdrawn) ⇄ consulting (征求第三方意见: not counted) →
reply_drafted (告知书 to approve) → answered (approved, sent) → closed (delivered). Only
disclosure.services calls fire(); nothing else assigns DisclosureRequest.status.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.actions import Action, ActionTable, StateMachine, Transition, unit_roles
from columns.models import Role
from columns.selectors import has_role
from interaction import workflow as mailbox_workflow

from .models import RequestExtension
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
fire = MACHINE.fire


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


# --- who may take which action (执行人) ----------------------------------------------------


#: 政府信息公开工作机构负责人: the unit's leaders in charge of its disclosure office approve
#: extensions (Art. 33).
OFFICE_HEAD_ROLES = (Role.DEPUTY_LEADER, Role.PRINCIPAL_LEADER)


_NOT_HOLDING = gettext_lazy("Only the staff of the unit holding the request may do this.")


def _reviewer(request, user):
    """The holding unit's section head approves a drafted reply, never its own draft."""
    if user.pk == request.reply_drafted_by_id:
        return _("Nobody may approve a reply they drafted themselves.")
    return unit_roles(_NOT_HOLDING, Role.SECTION_HEAD)(request, user)


def is_office_head(user, unit):
    return unit is not None and any(has_role(user, role, unit) for role in OFFICE_HEAD_ROLES)


def _office_head(request, user):
    if not is_office_head(user, request.unit):
        return _("Only the head of the unit's information disclosure office may decide this.")
    return None


def _pending_extension(request):
    return request.extensions.filter(status=RequestExtension.Status.PENDING).exists()


def _may_ask_extension(request):
    if request.status not in EXTENDABLE:
        return _("An extension can only be asked for while the unit handles it.")
    if _pending_extension(request):
        return _("An extension request is already waiting for a decision.")
    return None


def _extension_waiting(request):
    if not _pending_extension(request):
        return _("This extension request was already decided.")
    return None


def _from(name):
    return TRANSITIONS[name].sources


#: The staff actions, named as the request page's forms post them.
ACTION_TABLE = ActionTable(
    [
        Action("assign", gettext_lazy("Assign"), _from("assign"), "dispatcher", ("unit",)),
        Action("draft_reply", gettext_lazy("Draft the reply"), _from("draft_reply"), "liaison"),
        Action(
            "approve_reply", gettext_lazy("Approve the reply"), _from("approve_reply"), "reviewer"
        ),
        Action(
            "return_reply",
            gettext_lazy("Return the reply"),
            _from("return_reply"),
            "section_head",
            ("comment",),
        ),
        Action(
            "clarify",
            gettext_lazy("Ask for clarification"),
            _from("request_clarification"),
            "unit",
            ("question", "working_days"),
        ),
        Action(
            "consult",
            gettext_lazy("Consult a third party"),
            _from("start_consultation"),
            "unit",
            ("third_party",),
        ),
        Action(
            "end_consultation",
            gettext_lazy("Record the opinion"),
            _from("end_consultation"),
            "unit",
            ("opinion",),
        ),
        Action(
            "request_extension",
            gettext_lazy("Ask for an extension"),
            EXTENDABLE,
            "unit",
            ("working_days", "reason"),
            guard=_may_ask_extension,
        ),
        # Decided in whatever state the request has reached since it was asked for.
        Action(
            "decide_extension",
            gettext_lazy("Decide the extension"),
            frozenset(S),
            "office_head",
            guard=_extension_waiting,
        ),
        Action("deliver", gettext_lazy("Record delivery"), _from("close"), "unit", ("note",)),
    ],
    actors={
        # The mailbox's dispatcher (李受理) registers and assigns requests too.
        "dispatcher": mailbox_workflow.ACTORS["dispatcher"],
        "unit": unit_roles(_NOT_HOLDING, Role.LIAISON, Role.SECTION_HEAD),
        "liaison": unit_roles(_NOT_HOLDING, Role.LIAISON),
        "section_head": unit_roles(_NOT_HOLDING, Role.SECTION_HEAD),
        "reviewer": _reviewer,
        "office_head": _office_head,
    },
    wrong_state=_wrong_state,
)


#: available_actions(request, user): the staff actions user may take on request now (the
#: request page's forms). require_action(request, user, name): the action, or
#: PermissionDenied / ValidationError saying why not; services call it on the locked row first.
available_actions, require_action = ACTION_TABLE.available, ACTION_TABLE.require
