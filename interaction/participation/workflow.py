"""The interview's state machine declared as data: scheduled → live → archived.

Only participation.services calls fire(); nothing else assigns Interview.status. Consultations
and surveys need no machine of their own: their public state follows from their open period,
and the review of a consultation's document and report is the articles' 三审 chain.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import InterviewStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("start", frozenset({S.SCHEDULED}), S.LIVE),
        Transition("end", frozenset({S.LIVE}), S.ARCHIVED),
    )
}

#: States in which citizens may still send questions (before and during the interview).
ASKING_STATES = frozenset({S.SCHEDULED, S.LIVE})


def can_fire(interview, name):
    return interview.status in TRANSITIONS[name].sources


def fire(interview, name):
    """Move interview along transition name, or refuse with a message saying why."""
    transition = TRANSITIONS[name]
    if interview.status not in transition.sources:
        raise ValidationError(
            _("This cannot be done to an interview that is “%(status)s”.")
            % {"status": interview.get_status_display()},
            code="invalid_transition",
        )
    interview.status = transition.target
    return interview
