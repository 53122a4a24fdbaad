"""The inspection state machines (campaigns, problems, special supervision, score sheets,
annual reports) offer each demo account exactly the actions their services accept, in every
state each record goes through (generated, like the unit-isolation matrix).

Each machine's record is walked through its states by the services; at every state each
account's offer is compared with what each service accepts (rolled back).
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from monitoring.inspections import reports, services, workflow
from monitoring.inspections.models import (
    AnnualReport,
    MonthlyScore,
    ScoreMethod,
    SpecialSupervision,
    SpotCheckCampaign,
    SpotCheckProblem,
)
from tests.monitoring import test_inspections as spot_checks
from tests.monitoring.test_inspections import campaign_with, fail_campaign, in_days, unit
from tests.state_machines import assert_offered_exactly_where_accepted, compare

pytestmark = pytest.mark.django_db

#: The spot-check tests' clock fixture (moves the one clock forward past deadlines).
clock = spot_checks.clock


def _check(obj, calls, model):
    """[(state's disagreements)], the actions offered to someone, for obj as it stands (the
    campaign and its problem are walked together, one step moving both)."""
    assert set(calls) == set(workflow.ACTION_TABLES[model].actions), "every action is checked"
    return compare(
        obj=obj,
        available=workflow.available_actions,
        calls=calls,
        reload=lambda o: model.objects.get(pk=o.pk),
    )


def _walk(steps, calls, model):
    """Run each (state, step) in turn; step() brings the record to the state and returns it."""
    assert_offered_exactly_where_accepted(
        steps,
        table=workflow.ACTION_TABLES[model],
        available=workflow.available_actions,
        calls=calls,
        model=model,
    )


def test_spot_check_campaign_and_its_problem(user_named):
    inspector, liaison = user_named("inspector"), user_named("edu_liaison")
    edu = unit("区教育局")
    campaign = campaign_with(user_named, year=2041, quarter=1, units_drawn=[edu])
    problem = services.record_problem(
        campaign=campaign,
        unit=edu,
        category="blank_column",
        description="空白栏目",
        deadline=in_days(3),
        recorded_by=inspector,
    )
    campaign_calls = {
        "problem": lambda c, u: services.record_problem(
            campaign=c,
            unit=edu,
            category="other",
            description="另一个问题",
            deadline=in_days(5),
            recorded_by=u,
        ),
        "close": lambda c, u: services.close_campaign(campaign=c, by=u),
        "publish": lambda c, u: services.publish_campaign(campaign=c, by=u, summary="结果"),
    }
    problem_calls = {
        "answer": lambda p, u: services.answer_problem(problem=p, response="已整改", by=u),
        "verify": lambda p, u: services.verify_problem(problem=p, by=u, accept=True),
        "send_back": lambda p, u: services.verify_problem(
            problem=p, by=u, accept=False, comment="仍未整改"
        ),
    }

    def answered():
        return services.answer_problem(problem=problem, response="已整改", by=liaison)

    def returned():
        return services.verify_problem(problem=problem, by=inspector, accept=False, comment="否")

    def verified():
        answered()
        return services.verify_problem(problem=problem, by=inspector, accept=True)

    found, offered = {"campaign": [], "problem": []}, {"campaign": set(), "problem": set()}
    steps = [
        ("open, deadline running", lambda: problem),
        ("answered", answered),
        ("returned", returned),
        ("verified", verified),
        (
            "verified, campaign closed",
            lambda: services.close_campaign(campaign=campaign, by=inspector),
        ),
        ("published", lambda: services.publish_campaign(campaign=campaign, by=inspector)),
    ]
    for state, step in steps:
        step()
        for name, obj, calls, model in (
            ("campaign", campaign, campaign_calls, SpotCheckCampaign),
            ("problem", problem, problem_calls, SpotCheckProblem),
        ):
            disagreements, offered_here = _check(obj, calls, model)
            found[name] += [(state, *row) for row in disagreements]
            offered[name] |= offered_here
    assert found == {"campaign": [], "problem": []}
    assert offered == {"campaign": set(campaign_calls), "problem": set(problem_calls)}


def test_special_supervision(user_named, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    inspector, liaison = user_named("inspector"), user_named("edu_liaison")
    edu = unit("区教育局")
    fail_campaign(user_named, clock, year=2042, quarter=1, failing=edu)
    fail_campaign(user_named, clock, year=2042, quarter=2, failing=edu)
    flag = SpecialSupervision.objects.get(unit=edu)

    def document():
        return SimpleUploadedFile("检查.pdf", b"%PDF-1.4\n%%EOF\n")

    calls = {
        "submit": lambda s, u: services.submit_self_examination(
            supervision=s, document=document(), by=u
        ),
        "clear": lambda s, u: services.decide_supervision(supervision=s, by=u, clear=True),
        "send_back": lambda s, u: services.decide_supervision(supervision=s, by=u, clear=False),
    }
    _walk(
        [
            ("awaiting", lambda: flag),
            (
                "submitted",
                lambda: services.submit_self_examination(
                    supervision=flag, document=document(), by=liaison
                ),
            ),
            (
                "cleared",
                lambda: services.decide_supervision(supervision=flag, by=inspector, clear=True),
            ),
        ],
        calls,
        SpecialSupervision,
    )


def _hand_points(score):
    """Points for every item scored by hand (the self-score must give them all)."""
    return {item.rule_id: 0 for item in score.items.all() if item.rule.method == ScoreMethod.MANUAL}


def test_monthly_score_sheet(user_named):
    inspector, liaison = user_named("inspector"), user_named("edu_liaison")
    today = timezone.localdate()
    # This month's sheet may be self-scored until the 10th of the next; the one of two months
    # ago closed for self-scoring on the 10th of the last.
    two_months_ago = (today.replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    current = services.compute_month(year=today.year, month=today.month)
    closed = services.compute_month(year=two_months_ago.year, month=two_months_ago.month)
    sheet = MonthlyScore.objects.get(month=current, unit__name="区教育局")
    late = MonthlyScore.objects.get(month=closed, unit__name="区教育局")
    calls = {
        "self_score": lambda s, u: services.self_score(score=s, points=_hand_points(s), by=u),
        "confirm": lambda s, u: services.confirm_score(score=s, points={}, by=u),
    }
    _walk(
        [
            ("computed", lambda: sheet),
            ("computed, self-scoring closed", lambda: late),
            (
                "self-scored",
                lambda: services.self_score(score=sheet, points=_hand_points(sheet), by=liaison),
            ),
            ("confirmed", lambda: services.confirm_score(score=sheet, points={}, by=inspector)),
        ],
        calls,
        MonthlyScore,
    )


def test_annual_report(user_named, demo):
    inspector = user_named("inspector")
    services.generate_annual_reports(year=2043)
    report = AnnualReport.objects.get(year=2043, site=demo)
    values = {f.key: "1" for f in reports.fields_of(report) if f.by_hand}
    calls = {
        "complete": lambda r, u: services.complete_report(report=r, values=values, by=u),
        "review": lambda r, u: services.review_report(report=r, by=u),
        "reopen": lambda r, u: services.review_report(report=r, by=u, approve=False),
        "publish": lambda r, u: services.publish_report(report=r, by=u),
    }
    _walk(
        [
            ("draft, fields to complete", lambda: report),
            (
                "draft, complete",
                lambda: services.complete_report(report=report, values=values, by=inspector),
            ),
            ("reviewed", lambda: services.review_report(report=report, by=inspector)),
            ("published", lambda: services.publish_report(report=report, by=inspector)),
        ],
        calls,
        AnnualReport,
    )
