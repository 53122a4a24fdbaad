"""The inspection state machines declared as data: campaigns, problems, special supervision,
score sheets and annual reports. Only monitoring.inspections.services calls fire()."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def fire(obj, name):
    """Move obj along transition name, or refuse with a message saying where it stands."""
    if not can_fire(obj, name):
        raise ValidationError(
            _("This cannot be done now: it is “%(status)s”.")
            % {"status": obj.get_status_display()},
            code="invalid_transition",
        )
    obj.status = TRANSITIONS[type(obj)][name][1]
    return obj
