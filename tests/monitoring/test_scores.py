"""Monthly scoring [C麻山]: a month of known data scored by the SPEC's example rules, the
self-score and confirmation deadlines, the published table and the year-end ranking."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from columns.models import Column, Notification, Unit
from monitoring.inspections import services
from monitoring.inspections.models import (
    MonthlyScore,
    ScoreMethod,
    ScoreMonth,
    ScoreRule,
    ScoreRuleSet,
    ScoreStatus,
)
from monitoring.inspections.selectors import year_ranking
from monitoring.inspections.tasks import compute_monthly_scores, send_inspection_reminders
from publishing import services as publishing
from publishing.models import Article

pytestmark = pytest.mark.django_db

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(monkeypatch):
    """frozen.at(2021, 4, 1, 8) sets the one clock (django.utils.timezone.now)."""

    class Frozen:
        def at(self, *args):
            moment = at(*args)
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Frozen()


@pytest.fixture
def rules(demo):
    """The SPEC's example: leadership by hand 30; update frequency weekly 30 / fortnightly
    20 / monthly 10; 6 points per item published, capped at 40."""
    ScoreRuleSet.objects.update(is_active=False)
    rule_set = ScoreRuleSet.objects.create(name="测试细则", pass_mark=60)
    return {
        "leadership": ScoreRule.objects.create(
            rule_set=rule_set, position=1, name="领导重视", method=ScoreMethod.MANUAL, max_points=30
        ),
        "frequency": ScoreRule.objects.create(
            rule_set=rule_set,
            position=2,
            name="更新频率",
            method=ScoreMethod.UPDATE_FREQUENCY,
            max_points=30,
            weekly_points=30,
            fortnightly_points=20,
            monthly_points=10,
        ),
        "items": ScoreRule.objects.create(
            rule_set=rule_set,
            position=3,
            name="信息发布",
            method=ScoreMethod.PER_ITEM,
            max_points=40,
            points_per_item=6,
        ),
    }


def publish_at(slug, moment, title="考评测试信息"):
    operator = get_user_model().objects.get(username="operator")
    column = Column.objects.get(site__site_code="5201020001", slug=slug)
    article = Article(
        title=title, body="<p>正文</p>", column=column, unit=column.unit, author=operator
    )
    return publishing.import_published(article=article, by=operator, published_at=moment)


@pytest.fixture
def march_2021(rules):
    """Known publishing of March 2021 (Asia/Shanghai):
    教育局 on the 2nd, 9th, 16th, 23rd — every week; 4 items.
    财政局 on the 3rd and the 31st at 23:30 — both halves; 2 items (28 Feb 23:59 and
      1 Apr 00:10 fall outside the month).
    卫健局 on the 1st to the 8th — eight items in the first half only.
    住建局 nothing."""
    for day in (2, 9, 16, 23):
        publish_at("edu-news", at(2021, 3, day, 10))
    for moment in (
        at(2021, 2, 28, 23, 59),
        at(2021, 3, 3, 10),
        at(2021, 3, 31, 23, 30),
        at(2021, 4, 1, 0, 10),
    ):
        publish_at("fin-news", moment)
    for day in range(1, 9):
        publish_at("health-news", at(2021, 3, day, 9))
    return rules


def sheet(unit_name, year=2021, month=3):
    return MonthlyScore.objects.get(month__year=year, month__month=month, unit__name=unit_name)


def points(score):
    return {item.rule.name: item.computed_points for item in score.items.all()}


def test_scores_of_a_month_of_known_data_match_the_hand_computation(march_2021, frozen):
    frozen.at(2021, 4, 1, 1, 30)
    compute_monthly_scores.apply()
    # Hand computation with the rules above:
    #   教育局: weekly 30 + 4 items × 6 = 24 → 54 (leadership still to score by hand)
    #   财政局: fortnightly 20 + 2 × 6 = 12 → 32
    #   卫健局: monthly 10 + 8 × 6 = 48, capped at 40 → 50
    #   住建局: not updated 0 + 0 → 0
    assert points(sheet("区教育局")) == {"领导重视": None, "更新频率": 30, "信息发布": 24}
    assert points(sheet("区财政局")) == {"领导重视": None, "更新频率": 20, "信息发布": 12}
    assert points(sheet("区卫生健康局")) == {"领导重视": None, "更新频率": 10, "信息发布": 40}
    assert points(sheet("区住房和城乡建设局")) == {"领导重视": None, "更新频率": 0, "信息发布": 0}
    assert [
        sheet(n).total for n in ("区教育局", "区财政局", "区卫生健康局", "区住房和城乡建设局")
    ] == [
        Decimal(54),
        Decimal(32),
        Decimal(50),
        Decimal(0),
    ]
    measured = {i.rule.name: i.measured for i in sheet("区财政局").items.all()}
    assert measured == {"领导重视": "", "更新频率": "每两周更新", "信息发布": "2条"}
    # Computing again (the task runs twice) changes nothing.
    compute_monthly_scores.apply()
    assert ScoreMonth.objects.filter(year=2021, month=3).count() == 1
    assert MonthlyScore.objects.filter(month__year=2021, month__month=3).count() == 6


def post_score(client, score, action, values):
    return client.post(
        reverse("admin:monitoring_monthlyscore_act", args=[score.pk, action]),
        {f"rule-{rule.pk}": value for rule, value in values.items()},
        follow=True,
    )


def test_self_score_then_confirmation_through_the_admin(march_2021, frozen, login_as):
    frozen.at(2021, 4, 1, 1, 30)
    services.compute_month(year=2021, month=3)
    frozen.at(2021, 4, 9, 10)
    edu = sheet("区教育局")
    post_score(login_as("edu_liaison"), edu, "self_score", {march_2021["leadership"]: "25"})
    edu.refresh_from_db()
    assert edu.status == ScoreStatus.SELF_SCORED and edu.total == Decimal(79)

    frozen.at(2021, 4, 14, 10)
    post_score(
        login_as("inspector"),
        edu,
        "confirm",
        {march_2021["leadership"]: "20", march_2021["frequency"]: "30", march_2021["items"]: "24"},
    )
    edu.refresh_from_db()
    assert edu.status == ScoreStatus.CONFIRMED and edu.total == Decimal(74)


def test_score_outside_the_rules_range_is_refused_and_nothing_changes(march_2021, frozen, login_as):
    frozen.at(2021, 4, 1, 1, 30)
    services.compute_month(year=2021, month=3)
    frozen.at(2021, 4, 5, 10)
    edu = sheet("区教育局")
    client = login_as("edu_liaison")
    for bad, message in (
        ("31", "“领导重视”的分值须在0到30分之间，31超出范围"),
        ("-1", "“领导重视”的分值须在0到30分之间，-1超出范围"),
        ("很好", "“领导重视”：请以数字填写分数"),
    ):
        html = post_score(client, edu, "self_score", {march_2021["leadership"]: bad})
        assert message in html.content.decode()
    html = post_score(
        client, edu, "self_score", {march_2021["leadership"]: "20", march_2021["items"]: "41"}
    )
    assert "“信息发布”的分值须在0到40分之间" in html.content.decode()
    edu.refresh_from_db()
    assert edu.status == ScoreStatus.COMPUTED and edu.total == Decimal(54)
    assert not edu.items.exclude(self_points=None).exists()


def test_self_scoring_closes_after_the_10th(march_2021, frozen, user_named):
    frozen.at(2021, 4, 1, 1, 30)
    services.compute_month(year=2021, month=3)
    frozen.at(2021, 4, 11, 9)
    edu = sheet("区教育局")
    with pytest.raises(ValidationError, match="自评已于2021-04-10截止"):
        services.self_score(
            score=edu, points={march_2021["leadership"].pk: 25}, by=user_named("edu_liaison")
        )
    edu.refresh_from_db()
    assert edu.status == ScoreStatus.COMPUTED


def test_deadline_reminders_are_sent_once(march_2021, frozen):
    frozen.at(2021, 4, 1, 1, 30)
    services.compute_month(year=2021, month=3)
    frozen.at(2021, 4, 7, 8)
    send_inspection_reminders.apply()
    assert not Notification.objects.filter(key__endswith="self-score-reminder").exists()
    frozen.at(2021, 4, 8, 8)
    send_inspection_reminders.apply()
    send_inspection_reminders.apply()
    edu_key = f"score:{sheet('区教育局').pk}:self-score-reminder"
    assert Notification.objects.filter(key=edu_key, recipient__username="edu_liaison").count() == 1
    frozen.at(2021, 4, 13, 8)
    send_inspection_reminders.apply()
    send_inspection_reminders.apply()
    month = ScoreMonth.objects.get(year=2021, month=3)
    assert (
        Notification.objects.filter(
            key=f"month:{month.pk}:confirm-reminder", recipient__username="inspector"
        ).count()
        == 1
    )


def confirm_all(month, totals, inspector):
    """Confirm each unit's sheet as {unit name: (leadership, frequency, items)}."""
    for score in month.scores.select_related("unit"):
        values = dict(
            zip(["领导重视", "更新频率", "信息发布"], totals[score.unit.name], strict=True)
        )
        services.confirm_score(
            score=score,
            points={item.rule_id: values[item.rule.name] for item in score.items.all()},
            by=inspector,
        )


TOTALS = {
    "区教育局": (30, 30, 35),  # 95
    "区财政局": (30, 30, 30),  # 90
    "区卫生健康局": (25, 30, 30),  # 85
    "区政府办公室": (20, 30, 30),  # 80
    "区大数据中心": (20, 20, 30),  # 70
    "区住房和城乡建设局": (20, 10, 20),  # 50: below the pass mark
}


def test_published_table_and_year_end_ranking_with_prizes_and_failing_units(
    march_2021, frozen, user_named, client
):
    frozen.at(2021, 4, 1, 1, 30)
    month = services.compute_month(year=2021, month=3)
    inspector = user_named("inspector")
    with pytest.raises(ValidationError, match="还有6个单位的评分未确认"):
        services.publish_month(month=month, by=inspector)
    assert client.get("/inspections/scores/2021/3/").status_code == 404

    confirm_all(month, TOTALS, inspector)
    services.publish_month(month=month, by=inspector)

    page = client.get("/inspections/scores/2021/3/").content.decode()
    order = [page.index(name) for name in TOTALS]
    assert order == sorted(order)
    assert "95.0" in page and "50.0" in page

    ranking = year_ranking(2021)
    assert [(r.unit.name, r.prize, r.failing) for r in ranking] == [
        ("区教育局", "first", False),
        ("区财政局", "second", False),
        ("区卫生健康局", "second", False),
        ("区政府办公室", "third", False),
        ("区大数据中心", "third", False),
        ("区住房和城乡建设局", "", True),
    ]
    page = client.get("/inspections/scores/2021/").content.decode()
    assert page.count("一等奖") == 1 and page.count("二等奖") == 2 and page.count("三等奖") == 2
    assert "不合格" in page and page.index("区住房和城乡建设局") > page.index("区大数据中心")


def test_units_scored_are_those_owning_columns(march_2021, frozen):
    frozen.at(2021, 4, 1, 1, 30)
    month = services.compute_month(year=2021, month=3)
    owners = set(Unit.objects.filter(columns__isnull=False).values_list("pk", flat=True))
    assert set(month.scores.values_list("unit_id", flat=True)) == owners


def test_rule_with_tiers_out_of_order_is_refused_in_the_admin(login_as, demo):
    data = {
        "name": "错误细则",
        "is_active": "",
        "pass_mark": "60",
        "basis": "",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-position": "1",
        "rules-0-name": "更新频率",
        "rules-0-method": "update_frequency",
        "rules-0-max_points": "30",
        "rules-0-weekly_points": "20",
        "rules-0-fortnightly_points": "30",
        "rules-0-monthly_points": "10",
        "rules-0-points_per_item": "0",
    }
    response = login_as("inspector").post(reverse("admin:monitoring_scoreruleset_add"), data)
    assert "每周、每两周、每月更新的得分须依次不高于前一档" in response.content.decode()
    assert not ScoreRuleSet.objects.filter(name="错误细则").exists()
