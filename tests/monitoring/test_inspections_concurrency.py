"""Inspection actions at once on PostgreSQL: a month is computed once however many workers
run the task, and of two inspectors deciding one rectification exactly one decision holds."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from columns.models import Role, Unit
from columns.services import create_staff
from monitoring.inspections import sampling, services
from monitoring.inspections.models import MonthlyScore, ProblemStatus, ScoreMonth
from monitoring.inspections.selectors import inspected_units
from tests.concurrency import ONLY_ON_POSTGRESQL, run_at_once

pytestmark = ONLY_ON_POSTGRESQL


def test_a_month_computed_by_two_workers_at_once_is_computed_once(demo):
    outcomes = run_at_once(
        lambda: services.compute_month(year=2019, month=5).pk,
        lambda: services.compute_month(year=2019, month=5).pk,
    )
    assert [kind for kind, _value in outcomes] == ["ok", "ok"]
    assert outcomes[0][1] == outcomes[1][1]
    assert ScoreMonth.objects.filter(year=2019, month=5).count() == 1
    assert MonthlyScore.objects.filter(month__year=2019, month__month=5).count() == (
        inspected_units().count()
    )


def test_two_inspectors_deciding_one_rectification_at_once_yield_one_decision(demo):
    User = get_user_model()
    first = User.objects.get(username="inspector")
    second = create_staff(
        username="inspector2",
        unit=Unit.objects.get(name="区政府办公室"),
        roles=[Role.INSPECTOR],
        password="x-Portal-2026",
    )
    edu = Unit.objects.get(name="区教育局")
    population = list(inspected_units().values_list("pk", flat=True))
    seed = next(s for s in range(10_000) if edu.pk in sampling.draw(population, s, 0.3))
    campaign = services.open_campaign(
        title="并发核查", year=2019, quarter=1, opened_by=first, seed=seed
    )
    problem = services.record_problem(
        campaign=campaign,
        unit=edu,
        category="other",
        description="并发核查问题",
        deadline=timezone.localdate() + timedelta(days=3),
        recorded_by=first,
    )
    services.answer_problem(
        problem=problem, response="已整改", by=User.objects.get(username="edu_liaison")
    )

    outcomes = run_at_once(
        lambda: services.verify_problem(problem=problem, by=first, accept=True),
        lambda: services.verify_problem(
            problem=problem, by=second, accept=False, comment="仍未整改"
        ),
    )
    kinds = sorted(kind for kind, _value in outcomes)
    assert kinds == ["error", "ok"]
    problem.refresh_from_db()
    winner = next(value for kind, value in outcomes if kind == "ok")
    assert problem.status == winner.status
    assert problem.status in (ProblemStatus.VERIFIED, ProblemStatus.RETURNED)
