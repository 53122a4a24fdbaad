"""The article state machine declared as data: states, transitions and who may fire them.

draft → in_review (step k of the run) → approved → scheduled / published → withdrawn / expired;
in_review → returned → draft. Only publishing.services calls fire(); nothing else assigns
Article.status, nor a review run's status (finish_run).

ACTIONS say which action on an article may be taken in which state and by whom: services call
require_action() first, the admin's review panel lists available_actions().
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.actions import Action, ActionTable, StateMachine, Transition
from columns.models import Role
from columns.selectors import has_role, is_operator

from .content_checks import awaiting_override
from .models import ArticleKind, ReviewRun, Validity
from .models import ArticleStatus as S


def _wrong_state(article):
    return _("This cannot be done to an article that is “%(status)s”.") % {
        "status": article.get_status_display()
    }


MACHINE = StateMachine(
    [
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
    ],
    wrong_state=_wrong_state,
)
TRANSITIONS = MACHINE.transitions
fire = MACHINE.fire


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


def revise(article, *, stored_status):
    """Edited content keeps the article's stored state (whatever the edited copy says), and
    returned, withdrawn or expired work becomes a draft again."""
    article.status = stored_status
    if article.status != S.DRAFT:
        fire(article, "revise")
    return article


#: 审核过程: a run is in progress until its last step approves or any step returns.
RUN_OUTCOMES = {"approve": ReviewRun.Status.APPROVED, "return": ReviewRun.Status.RETURNED}


def finish_run(run, outcome, *, at):
    """End an in-progress review run with outcome ("approve" or "return")."""
    if run.status != ReviewRun.Status.IN_PROGRESS:
        raise ValidationError(
            _("This step has already been decided; reload the page to see where the review is."),
            code="stale_step",
        )
    run.status = RUN_OUTCOMES[outcome]
    run.finished_at = at
    run.current_role = ""
    return run


# --- who may take which action (执行人) ----------------------------------------------------


def current_run(article):
    """The article's review run in progress, or None."""
    return (
        article.review_runs.filter(status=ReviewRun.Status.IN_PROGRESS)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _operator(article, user):
    if not is_operator(user):
        return _("Only the platform operator may do this.")
    return None


def _manager(article, user):
    """The unit's liaison manages its articles' publication; the operator may everywhere."""
    if not (is_operator(user) or has_role(user, Role.LIAISON, article.unit)):
        return _("Only the unit's liaison or the platform operator may do this.")
    return None


def _author_or_liaison(article, user):
    if user.pk != article.author_id and not has_role(user, Role.LIAISON, article.unit):
        return _("Only the author or the unit's liaison may submit this article.")
    return None


def _step_reviewer(article, user):
    """Whoever holds the current step's role — in the article's unit, except for the cross-unit
    steps — and neither wrote nor submitted the article."""
    run = current_run(article)
    if run is None:
        return None  # not in review: the state refuses it
    if user.pk in (run.submitted_by_id, article.author_id):
        return _("Nobody may decide a review step of their own submission.")
    step = run.steps[run.current_index]
    unit = None if step["role"] in CROSS_UNIT_REVIEW_ROLES else article.unit
    if not has_role(user, step["role"], unit):
        return _("Step “%(step)s” is decided by the %(role)s of %(unit)s.") % {
            "step": step["name"],
            "role": Role(step["role"]).label,
            "unit": article.unit,
        }
    return None


ACTORS = {
    "author_or_liaison": _author_or_liaison,
    "step_reviewer": _step_reviewer,
    "manager": _manager,
    "operator": _operator,
}


def _awaits_override(article):
    run = current_run(article)
    if run is None or not awaiting_override(run).exists():
        return _("Nothing found by the check waits to be let through.")
    return None


def _nothing_awaits_override(article):
    run = current_run(article)
    if run is not None and awaiting_override(run).exists():
        return _(
            "Decide first on the personal data or unreadable attachments the check "
            "found: let each through with a reason, or return the article."
        )
    return None


def _valid_policy(article):
    if article.kind != ArticleKind.POLICY:
        return _("Only policy documents have a validity.")
    if article.validity != Validity.VALID:
        return _("This policy document is already marked “%(validity)s”.") % {
            "validity": article.get_validity_display()
        }
    return None


ACTION_TABLE = ActionTable(
    [
        Action(
            "submit",
            gettext_lazy("Submit for review"),
            TRANSITIONS["submit"].sources,
            "author_or_liaison",
        ),
        # The two decisions on the current step (审核决定); returning needs the comment.
        Action(
            "approve",
            gettext_lazy("Approve"),
            TRANSITIONS["approve"].sources,
            "step_reviewer",
            ("comment",),
            guard=_nothing_awaits_override,
        ),
        Action(
            "return",
            gettext_lazy("Return to author"),
            TRANSITIONS["return"].sources,
            "step_reviewer",
            ("comment",),
        ),
        Action(
            "override",
            gettext_lazy("Let through"),
            TRANSITIONS["approve"].sources,
            "step_reviewer",
            ("finding", "reason"),
            guard=_awaits_override,
        ),
        Action("publish", gettext_lazy("Publish now"), TRANSITIONS["publish"].sources, "manager"),
        Action(
            "schedule",
            gettext_lazy("Schedule"),
            TRANSITIONS["schedule"].sources,
            "manager",
            ("at",),
        ),
        Action(
            "withdraw",
            gettext_lazy("Withdraw"),
            TRANSITIONS["withdraw"].sources,
            "manager",
            ("reason",),
        ),
        # A policy's validity (失效/废止) is a fact about the document, whatever its state.
        Action(
            "mark_invalid",
            gettext_lazy("Mark"),
            frozenset(S.values),
            "manager",
            ("validity",),
            guard=_valid_policy,
        ),
        # Ordered before publication, the headline takes effect when the article goes online.
        Action(
            "order_headline",
            gettext_lazy("Put in homepage headline"),
            frozenset(S.values) - {S.WITHDRAWN, S.EXPIRED},
            "operator",
            ("reason",),
        ),
    ],
    actors=ACTORS,
    wrong_state=_wrong_state,
)


#: available_actions(article, user): the actions user may take on article now (the admin's
#: review panel). require_action(article, user, name): the action, or PermissionDenied /
#: ValidationError saying why not; services call it on the locked row first.
available_actions, require_action = ACTION_TABLE.available, ACTION_TABLE.require
