"""Reads of inspection: who is inspected, campaigns in order, flags, deadlines coming due,
the published tables and the year-end ranking."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q

from columns.models import Role, Unit

from .models import (
    AnnualReport,
    CampaignStatus,
    MonthlyScore,
    ProblemStatus,
    ReportStatus,
    ScoreMonth,
    ScoreRuleSet,
    ScoreStatus,
    SpecialSupervision,
    SpotCheckCampaign,
    SpotCheckProblem,
    SupervisionStatus,
)
from .scoring import CONFIRM_DAY, SELF_SCORE_DAY

#: How many days before a deadline its reminder goes out.
REMINDER_LEAD = timedelta(days=2)


def inspected_units():
    """The units inspected and scored: those responsible for at least one column."""
    return Unit.objects.filter(columns__isnull=False).distinct().order_by("pk")


def inspectors():
    return get_user_model().objects.filter(groups__name=Role.INSPECTOR, is_active=True)


def previous_campaign(campaign):
    """The closed campaign just before campaign (by year, quarter, then opening order)."""
    earlier = Q(year__lt=campaign.year) | Q(year=campaign.year, quarter__lt=campaign.quarter)
    earlier |= Q(year=campaign.year, quarter=campaign.quarter, pk__lt=campaign.pk)
    return (
        SpotCheckCampaign.objects.filter(earlier)
        .exclude(status=CampaignStatus.OPEN)
        .order_by("-year", "-quarter", "-pk")
        .first()
    )


def supervised_units():
    """专项督办 flags not yet cleared, for the dashboard."""
    return (
        SpecialSupervision.objects.exclude(status=SupervisionStatus.CLEARED)
        .select_related("unit", "campaign", "previous_campaign")
        .order_by("opened_at")
    )


def published_campaigns():
    return SpotCheckCampaign.objects.filter(status=CampaignStatus.PUBLISHED).order_by(
        "-year", "-quarter", "-pk"
    )


def campaign_results(campaign):
    """[(sample, [problems])] for the results page, units in name order."""
    problems = {}
    for problem in campaign.problems.order_by("pk"):
        problems.setdefault(problem.unit_id, []).append(problem)
    samples = campaign.samples.select_related("unit").order_by("unit__name")
    return [(sample, problems.get(sample.unit_id, [])) for sample in samples]


def monthly_table(month):
    """The month's scores ranked by total, with their items and rules."""
    return (
        month.scores.select_related("unit")
        .prefetch_related("items__rule")
        .order_by("-total", "unit__name")
    )


def published_months(year=None):
    months = ScoreMonth.objects.exclude(published_at=None)
    if year is not None:
        months = months.filter(year=year)
    return months.order_by("-year", "-month")


@dataclass
class RankingRow:
    unit: Unit
    total: Decimal
    average: Decimal
    months: int
    rank: int = 0
    prize: str = ""
    failing: bool = False


#: Year-end prizes by rank [C麻山]: one first, two second, three third prizes.
PRIZES = ["first", "second", "second", "third", "third", "third"]


def year_ranking(year):
    """年终排名: units by the sum of their published monthly totals; failing units (average
    below the pass mark of the rule set in force) are named and get no prize."""
    months = list(published_months(year).select_related("rule_set"))
    if not months:
        return []
    rule_set = ScoreRuleSet.objects.filter(is_active=True).first() or months[0].rule_set
    rows = {}
    for score in MonthlyScore.objects.filter(month__in=months).select_related("unit"):
        row = rows.setdefault(score.unit_id, RankingRow(score.unit, Decimal(0), Decimal(0), 0))
        row.total += score.total
        row.months += 1
    ranked = sorted(rows.values(), key=lambda r: (-r.total, r.unit.name))
    prizes = iter(PRIZES)
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
        row.average = (row.total / row.months).quantize(Decimal("0.1"))
        row.failing = row.average < rule_set.pass_mark
        if not row.failing:
            row.prize = next(prizes, "")
    return ranked


def published_reports():
    return AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).select_related("site")


# --- what reminders are due ------------------------------------------------------------------


def _previous_month(today):
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def scores_awaiting_self_score(today):
    """Last month's sheets not self-scored, from two days before the 10th to the 10th."""
    if not SELF_SCORE_DAY - REMINDER_LEAD.days <= today.day <= SELF_SCORE_DAY:
        return MonthlyScore.objects.none()
    year, month = _previous_month(today)
    return MonthlyScore.objects.filter(
        month__year=year, month__month=month, status=ScoreStatus.COMPUTED
    ).select_related("unit", "month")


def months_awaiting_confirmation(today):
    """Last month's assessment with unconfirmed sheets, from two days before the 15th."""
    if not CONFIRM_DAY - REMINDER_LEAD.days <= today.day <= CONFIRM_DAY:
        return ScoreMonth.objects.none()
    year, month = _previous_month(today)
    return ScoreMonth.objects.filter(
        year=year, month=month, scores__status__in=[ScoreStatus.COMPUTED, ScoreStatus.SELF_SCORED]
    ).distinct()


def _unrectified():
    return SpotCheckProblem.objects.filter(
        campaign__status=CampaignStatus.OPEN,
        status__in=[ProblemStatus.OPEN, ProblemStatus.RETURNED],
    ).select_related("unit", "recorded_by")


def problems_due_soon(today):
    return _unrectified().filter(deadline__gte=today, deadline__lte=today + REMINDER_LEAD)


def problems_overdue(today):
    return _unrectified().filter(deadline__lt=today)


def reports_awaiting_publication(today):
    """Last year's reports not yet published, during January (due before the 31st)."""
    if today.month != 1:
        return AnnualReport.objects.none()
    return (
        AnnualReport.objects.filter(year=today.year - 1)
        .exclude(status=ReportStatus.PUBLISHED)
        .select_related("site")
    )


def problems_to_rectify():
    """待整改 — problems of open campaigns not rectified yet (open or sent back)."""
    return _unrectified().order_by("deadline", "pk")


def problems_to_verify():
    """待核验 — rectifications reported by units, waiting for an inspector to verify them."""
    return SpotCheckProblem.objects.filter(status=ProblemStatus.ANSWERED).select_related("unit")
