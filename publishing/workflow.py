"""The article state machine declared as data: states, transitions and who may fire them.

draft → in_review (step k of the run) → approved → scheduled / published → withdrawn / expired;
in_review → returned → draft. Only publishing.services calls fire(); nothing else assigns
Article.status.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from columns.models import Role

from .models import ArticleStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", frozenset({S.DRAFT, S.RETURNED}), S.IN_REVIEW),
        Transition("approve", frozenset({S.IN_REVIEW}), S.APPROVED),
        Transition("return", frozenset({S.IN_REVIEW}), S.RETURNED),
        # Editing returned or withdrawn work makes it a draft again, to be submitted anew.
        Transition("revise", frozenset({S.RETURNED, S.WITHDRAWN, S.EXPIRED}), S.DRAFT),
        Transition("schedule", frozenset({S.APPROVED}), S.SCHEDULED),
        Transition("publish", frozenset({S.APPROVED, S.SCHEDULED}), S.PUBLISHED),
        Transition("withdraw", frozenset({S.PUBLISHED, S.SCHEDULED}), S.WITHDRAWN),
        Transition("expire", frozenset({S.PUBLISHED}), S.EXPIRED),
        # Content carried over from a unit's previous website was reviewed there.
        Transition("import_published", frozenset({S.DRAFT}), S.PUBLISHED),
    )
}

#: States whose content may still be edited; in every other state the text is what was
#: (or is being) approved.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED, S.WITHDRAWN, S.EXPIRED})

#: States an author's work is still open in (moved to the new liaison at a handover).
OPEN_DRAFT_STATES = frozenset({S.DRAFT, S.RETURNED})
OPEN_SUBMISSION_STATES = frozenset({S.IN_REVIEW, S.APPROVED, S.SCHEDULED})

#: The 涉舆 step is decided by a district leader, who belongs to no author's unit.
CROSS_UNIT_REVIEW_ROLES = frozenset({Role.OPINION_LEADER})

#: The steps seeded for a unit that has no chain of its own (position, name, role, opinion-only).
DEFAULT_STEPS = {
    "general": [
        (1, "初审", Role.SECTION_HEAD, False),
        (2, "复审", Role.DEPUTY_LEADER, False),
    ],
    "important": [
        (1, "初审", Role.SECTION_HEAD, False),
        (2, "复审", Role.DEPUTY_LEADER, False),
        (3, "终审", Role.PRINCIPAL_LEADER, False),
    ],
}


def can_fire(article, name):
    return article.status in TRANSITIONS[name].sources


def fire(article, name):
    """Move article along transition name, or refuse with a message saying why."""
    transition = TRANSITIONS[name]
    if article.status not in transition.sources:
        raise ValidationError(
            _("This cannot be done to an article that is “%(status)s”.")
            % {"status": article.get_status_display()},
            code="invalid_transition",
        )
    article.status = transition.target
    return article
