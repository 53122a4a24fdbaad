"""The interview's state machine declared as data: scheduled → live → archived.

Only participation.services calls fire(); nothing else assigns Interview.status. ACTIONS say
which action on an interview may be taken in which state and by whom: services call
require_action() first, the live console's buttons come from available_actions(). Consultations
and surveys need no machine of their own: their public state follows from their open period,
and the review of a consultation's document and report is the articles' 三审 chain.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.actions import Action, ActionTable, StateMachine, Transition

from .models import InterviewStatus as S
from .selectors import may_manage


def _wrong_state(interview):
    return _("This cannot be done to an interview that is “%(status)s”.") % {
        "status": interview.get_status_display()
    }


MACHINE = StateMachine(
    [
        Transition("start", frozenset({S.SCHEDULED}), S.LIVE),
        Transition("end", frozenset({S.LIVE}), S.ARCHIVED),
    ],
    wrong_state=_wrong_state,
)
TRANSITIONS = MACHINE.transitions
fire = MACHINE.fire


#: States in which citizens may still send questions (before and during the interview).
ASKING_STATES = frozenset({S.SCHEDULED, S.LIVE})


# --- who may take which action (执行人) ----------------------------------------------------


def manager_refusal(user, unit):
    """None if user runs unit's participation items (its liaison, or the operator), else why not."""
    if may_manage(user, unit):
        return None
    return _("Only the liaison of %(unit)s or the platform operator may do this.") % {"unit": unit}


def _announceable(interview):
    if interview.published_at is not None:
        return _("This interview is already published.")
    if not interview.guests.exists():
        return _("Add the guests before announcing the interview.")
    return None


def _announced(interview):
    if interview.published_at is None:
        return _("Publish the interview before starting it.")
    return None


def _live(interview):
    if interview.status != S.LIVE:
        return _("Start the interview before posting to its transcript.")
    return None


ACTION_TABLE = ActionTable(
    [
        # 发布预告 and posting to the transcript say themselves why not, in any state.
        Action(
            "publish",
            gettext_lazy("Announce the interview"),
            frozenset(S.values),
            "manager",
            guard=_announceable,
        ),
        Action(
            "start",
            gettext_lazy("Start the interview"),
            TRANSITIONS["start"].sources,
            "manager",
            guard=_announced,
        ),
        Action("end", gettext_lazy("End the interview"), TRANSITIONS["end"].sources, "manager"),
        Action(
            "post_entry",
            gettext_lazy("Post"),
            frozenset(S.values),
            "manager",
            ("text", "guest", "question"),
            guard=_live,
        ),
    ],
    actors={"manager": lambda interview, user: manager_refusal(user, interview.unit)},
    wrong_state=_wrong_state,
)


#: available_actions(interview, user): the actions user may take on interview now (the live
#: console's buttons). require_action(interview, user, name): the action, or
#: PermissionDenied / ValidationError saying why not; services call it on the locked row first.
available_actions, require_action = ACTION_TABLE.available, ACTION_TABLE.require
