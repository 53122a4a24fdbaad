"""The inspection state machines declared as data: campaigns, problems, special supervision,
score sheets and annual reports. Only monitoring.inspections.services calls fire().

ACTION_TABLES say which action on each record may be taken in which state and by whom (the
inspector, or the liaison of the record's unit): services call require_action() first, the
record pages' buttons come from available_actions().
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from columns.actions import Action, ActionTable
from columns.models import Role
from columns.selectors import has_role

from . import reports, scoring
from .models import (
    AnnualReport,
    CampaignStatus,
    MonthlyScore,
    ProblemStatus,
    ReportStatus,
    ScoreStatus,
    SpecialSupervision,
    SpotCheckCampaign,
    SpotCheckProblem,
    SupervisionStatus,
)

#: model -> {transition: (source states, target state)}
TRANSITIONS = {
    SpotCheckCampaign: {
        "close": ({CampaignStatus.OPEN}, CampaignStatus.CLOSED),
        "publish": ({CampaignStatus.CLOSED}, CampaignStatus.PUBLISHED),
    },
    SpotCheckProblem: {
        # 限期整改: the unit reports what it did; the inspector verifies or sends it back.
        "answer": ({ProblemStatus.OPEN, ProblemStatus.RETURNED}, ProblemStatus.ANSWERED),
        "verify": ({ProblemStatus.ANSWERED}, ProblemStatus.VERIFIED),
        "send_back": ({ProblemStatus.ANSWERED}, ProblemStatus.RETURNED),
    },
    SpecialSupervision: {
        "submit": ({SupervisionStatus.AWAITING}, SupervisionStatus.SUBMITTED),
        "clear": ({SupervisionStatus.SUBMITTED}, SupervisionStatus.CLEARED),
        "send_back": ({SupervisionStatus.SUBMITTED}, SupervisionStatus.AWAITING),
    },
    MonthlyScore: {
        "self_score": ({ScoreStatus.COMPUTED, ScoreStatus.SELF_SCORED}, ScoreStatus.SELF_SCORED),
        "confirm": ({ScoreStatus.COMPUTED, ScoreStatus.SELF_SCORED}, ScoreStatus.CONFIRMED),
    },
    AnnualReport: {
        "review": ({ReportStatus.DRAFT}, ReportStatus.REVIEWED),
        "reopen": ({ReportStatus.REVIEWED}, ReportStatus.DRAFT),
        "publish": ({ReportStatus.REVIEWED}, ReportStatus.PUBLISHED),
    },
}


def can_fire(obj, name):
    sources, _target = TRANSITIONS[type(obj)][name]
    return obj.status in sources


def _wrong_state(obj):
    return _("This cannot be done now: it is “%(status)s”.") % {"status": obj.get_status_display()}


def fire(obj, name):
    """Move obj along transition name, or refuse with a message saying where it stands."""
    if not can_fire(obj, name):
        raise ValidationError(_wrong_state(obj), code="invalid_transition")
    obj.status = TRANSITIONS[type(obj)][name][1]
    return obj


# --- time windows ---------------------------------------------------------------------------


def self_score_deadline(month):
    """The 10th of the month after the assessed one."""
    return _following(month.year, month.month, scoring.SELF_SCORE_DAY)


def confirm_deadline(month):
    return _following(month.year, month.month, scoring.CONFIRM_DAY)


def _following(year, month, day):
    return date(year + month // 12, month % 12 + 1, day)


# --- who may take which action (执行人) ----------------------------------------------------


def is_inspector(user):
    return user.is_superuser or has_role(user, Role.INSPECTOR)


def _inspector(obj, user):
    return None if is_inspector(user) else _("Only an inspector may do this.")


def _unit_liaison(obj, user):
    if user.is_superuser or has_role(user, Role.LIAISON, obj.unit):
        return None
    return _("Only the liaison of %(unit)s may do this.") % {"unit": obj.unit}


ACTORS = {"inspector": _inspector, "unit_liaison": _unit_liaison}


def _campaign_open(problem):
    campaign = problem.campaign
    if campaign.status != CampaignStatus.OPEN:
        return _("The campaign is “%(status)s”; its problems can no longer change.") % {
            "status": campaign.get_status_display()
        }
    return None


def _closable(campaign):
    """Closing waits until no report awaits checking and every unverified problem's
    deadline has passed."""
    if campaign.status != CampaignStatus.OPEN:
        return None  # the state refuses it
    problems = list(campaign.problems.all())
    awaiting = [p for p in problems if p.status == ProblemStatus.ANSWERED]
    if awaiting:
        return _("%(count)d rectification reports still wait for your verification.") % {
            "count": len(awaiting)
        }
    today = timezone.localdate()
    running = [p for p in problems if p.status != ProblemStatus.VERIFIED and p.deadline >= today]
    if running:
        return _(
            "%(count)d problems are still within their rectification deadline (the last on "
            "%(date)s); close the campaign after it."
        ) % {"count": len(running), "date": max(p.deadline for p in running).isoformat()}
    return None


def _self_scoring_open(score):
    deadline = self_score_deadline(score.month)
    if timezone.localdate() > deadline:
        return _("Self-scoring for %(month)s closed on %(date)s.") % {
            "month": score.month,
            "date": deadline.isoformat(),
        }
    return None


def _month_unpublished(score):
    if score.month.published_at:
        return _("This month's table is published; its scores are final.")
    return None


def _report_complete(report):
    missing = reports.missing_fields(report)
    if missing:
        return _("Complete these fields first: %(fields)s.") % {"fields": "、".join(missing)}
    return None


def _sources(model, name):
    return frozenset(TRANSITIONS[model][name][0])


def _table(actions):
    return ActionTable(actions, actors=ACTORS, wrong_state=_wrong_state)


ACTION_TABLES = {
    SpotCheckCampaign: _table(
        [
            Action(
                "problem",
                gettext_lazy("Record a problem"),
                _sources(SpotCheckCampaign, "close"),
                "inspector",
                ("unit", "category", "description", "deadline"),
            ),
            Action(
                "close",
                gettext_lazy("Close the campaign"),
                _sources(SpotCheckCampaign, "close"),
                "inspector",
                guard=_closable,
            ),
            Action(
                "publish",
                gettext_lazy("Publish the results on the portal"),
                _sources(SpotCheckCampaign, "publish"),
                "inspector",
                ("summary",),
            ),
        ],
    ),
    SpotCheckProblem: _table(
        [
            Action(
                "answer",
                gettext_lazy("Report the rectification"),
                _sources(SpotCheckProblem, "answer"),
                "unit_liaison",
                ("response",),
                guard=_campaign_open,
            ),
            Action(
                "verify",
                gettext_lazy("Rectified: verify"),
                _sources(SpotCheckProblem, "verify"),
                "inspector",
                ("comment",),
                guard=_campaign_open,
            ),
            Action(
                "send_back",
                gettext_lazy("Not rectified: send back"),
                _sources(SpotCheckProblem, "send_back"),
                "inspector",
                ("comment", "deadline"),
                guard=_campaign_open,
            ),
        ],
    ),
    SpecialSupervision: _table(
        [
            Action(
                "submit",
                gettext_lazy("Submit"),
                _sources(SpecialSupervision, "submit"),
                "unit_liaison",
                ("self_examination",),
            ),
            Action(
                "clear",
                gettext_lazy("Accept and clear the flag"),
                _sources(SpecialSupervision, "clear"),
                "inspector",
            ),
            Action(
                "send_back",
                gettext_lazy("Send back"),
                _sources(SpecialSupervision, "send_back"),
                "inspector",
            ),
        ],
    ),
    MonthlyScore: _table(
        [
            Action(
                "self_score",
                gettext_lazy("Record our self-score"),
                _sources(MonthlyScore, "self_score"),
                "unit_liaison",
                ("points",),
                guard=_self_scoring_open,
            ),
            Action(
                "confirm",
                gettext_lazy("Confirm the score"),
                _sources(MonthlyScore, "confirm"),
                "inspector",
                ("points",),
                guard=_month_unpublished,
            ),
        ],
    ),
    AnnualReport: _table(
        [
            Action(
                "complete",
                gettext_lazy("Save"),
                frozenset({ReportStatus.DRAFT}),
                "inspector",
                ("values",),
            ),
            Action(
                "review",
                gettext_lazy("Mark as reviewed"),
                _sources(AnnualReport, "review"),
                "inspector",
                guard=_report_complete,
            ),
            Action(
                "reopen",
                gettext_lazy("Reopen as draft"),
                _sources(AnnualReport, "reopen"),
                "inspector",
            ),
            Action(
                "publish",
                gettext_lazy("Publish on the portal"),
                _sources(AnnualReport, "publish"),
                "inspector",
                guard=_report_complete,
            ),
        ],
    ),
}


def available_actions(obj, user):
    """The actions user may take on obj (a campaign, problem, supervision, score sheet or
    annual report) now: the buttons of its page."""
    return ACTION_TABLES[type(obj)].available(obj, user)


def require_action(obj, user, name):
    """Refuse (PermissionDenied or ValidationError, saying why) an action user may not take on
    obj now; services call it on the locked row before anything else."""
    return ACTION_TABLES[type(obj)].require(obj, user, name)
