"""Demo inspection data: the SPEC's example scoring rules, last month's computed score
sheets and an open spot check for this quarter (idempotent)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import services
from .models import ScoreMethod, ScoreRule, ScoreRuleSet, SpotCheckCampaign

#: [C麻山]: leadership scored by hand (30), update frequency weekly 30 / fortnightly 20 /
#: monthly 10, 6 points per item published up to 40.
DEMO_RULES = [
    ("领导重视与工作机制", ScoreMethod.MANUAL, 30, {}),
    (
        "信息更新频率",
        ScoreMethod.UPDATE_FREQUENCY,
        30,
        {"weekly_points": 30, "fortnightly_points": 20, "monthly_points": 10},
    ),
    ("信息发布数量", ScoreMethod.PER_ITEM, 40, {"points_per_item": 6}),
]
DEMO_SEED = 20260101


def seed_rules():
    rule_set, created = ScoreRuleSet.objects.get_or_create(
        name="政府网站月度考评细则", defaults={"basis": "C麻山 网站考核办法", "pass_mark": 60}
    )
    if created:
        for position, (name, method, max_points, points) in enumerate(DEMO_RULES, start=1):
            ScoreRule.objects.create(
                rule_set=rule_set,
                position=position,
                name=name,
                method=method,
                max_points=max_points,
                **points,
            )
    return rule_set


@transaction.atomic
def load():
    seed_rules()
    today = timezone.localdate()
    last_month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    services.compute_month(year=last_month[0], month=last_month[1])
    quarter = (today.month - 1) // 3 + 1
    if not SpotCheckCampaign.objects.filter(year=today.year, quarter=quarter).exists():
        services.open_campaign(
            title=f"{today.year}年第{quarter}季度政府网站抽查",
            year=today.year,
            quarter=quarter,
            opened_by=get_user_model().objects.get(username="inspector"),
            seed=DEMO_SEED,
        )
