"""Seeds the indicator table and the scoring scheme from 国办秘函〔2019〕19号.

Confirmed by the regulation's text: the scoring method (扣分 part out of 100, each
indicator's deductions capped at its points, departments without service functions scored
out of 75 and multiplied by 4/3, under 60 不合格, over 80 the 加分 part) and the veto
thresholds. The 扣分 items' points and per-item deductions are the platform's own setting
(open_in_table): the inspector reads that flag in the admin and adjusts the figures.
"""

from django.db import migrations

SCHEME_BASIS = (
    "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》指标说明：扣分指标总分100分；"
    "采用扣分方式评分的，单项指标扣分之和不超过该项指标总分值；对没有对外服务职能的部门，"
    "不检查其网站涉及办事服务的指标，扣分指标以75分为满分，得分乘以4/3；"
    "扣分指标得分低于60分判定为不合格，高于80分则进入加分指标评分环节。"
)
OPEN = "表中未规定：本项分值与扣分标准为平台设定，检查人员可按本地区细则调整。"

# (code, kind, position, points, thresholds, concerns services, open in table, basis)
RULES = [
    (
        "site_unreachable",
        "veto",
        1,
        None,
        {"days": 7, "probes_per_day": 20, "failure_share": 0.05, "load_within_seconds": 15},
        False,
        False,
        "单项否决·站点无法访问：监测1周，每天间隔性访问20次以上，超过（含）15秒网站仍打不开的"
        "次数比例累计超过（含）5%。",
    ),
    (
        "homepage_stale",
        "veto",
        2,
        None,
        {"days": 14},
        False,
        False,
        "单项否决·网站不更新：监测2周，首页栏目无信息更新（首页仅为栏目导航入口的，检查所有"
        "二级页面栏目）；未注明信息发布时间的视为不更新。",
    ),
    (
        "columns_stale",
        "veto",
        3,
        None,
        {"key_columns": 5, "any_columns": 10, "blank": 5, "policy_column_max_level": 0},
        False,
        False,
        "单项否决·栏目不更新：动态、要闻类栏目2周内及通知公告、政策文件类栏目6个月内累计"
        "超过（含）5个未更新；应更新但长期未更新的栏目超过（含）10个；空白栏目超过（含）5个。",
    ),
    (
        "serious_errors",
        "veto",
        4,
        None,
        {"scan_days": 365, "backdate_tolerance_hours": 1},
        False,
        True,
        "单项否决·严重错误：严重错别字、虚假或伪造内容、反动暴力色情等内容。扫描范围（天）"
        "与发布时间早于审核时间的容差（小时）" + OPEN,
    ),
    (
        "poor_interaction",
        "veto",
        5,
        None,
        {"window_days": 365},
        False,
        False,
        "单项否决·互动回应差：监测时间点前1年内，政务咨询类栏目存在超过3个月未回应的留言。"
        "3个月即留言自身的答复上限（受理后3个自然月，不因补充材料而顺延），与留言办理一致。",
    ),
    (
        "services_unusable",
        "veto",
        6,
        None,
        {"incomplete_guides": 1},
        True,
        True,
        "单项否决·服务不实用：未提供办事服务，或办事指南要素缺失。缺失要素的指南数" + OPEN,
    ),
    (
        "homepage_links",
        "deduction",
        10,
        10,
        {"points_each": 1},
        False,
        True,
        "扣分·链接可用性（首页）：首页不能正常访问的链接，每个扣分。" + OPEN,
    ),
    (
        "other_links",
        "deduction",
        11,
        10,
        {"points_each": 0.1},
        False,
        True,
        "扣分·链接可用性（其他页面）：其他页面不能正常访问的链接，每个扣分。" + OPEN,
    ),
    (
        "policy_columns_stale",
        "deduction",
        12,
        10,
        {"points_each": 2, "first_level": 0},
        False,
        True,
        "扣分·栏目更新：通知公告、政策文件类栏目6个月内未更新（一级栏目已计入单项否决）。" + OPEN,
    ),
    (
        "service_stale",
        "deduction",
        13,
        5,
        {"days": 92},
        True,
        True,
        "扣分·服务实用情况：办事服务信息3个月内未更新。" + OPEN,
    ),
    (
        "blank_columns",
        "deduction",
        14,
        8,
        {"points_each": 2},
        False,
        True,
        "扣分·空白栏目：有栏目无内容（5个及以上已计入单项否决）。" + OPEN,
    ),
    (
        "reply_list_stale",
        "deduction",
        15,
        5,
        {"days": 61},
        False,
        True,
        "扣分·互动回应情况：留言答复列表2个月内未更新。" + OPEN,
    ),
    (
        "late_replies",
        "deduction",
        16,
        10,
        {"window_days": 365, "points_each": 0.5},
        False,
        True,
        "扣分·互动回应情况：1年内超过答复期限的留言，每条扣分。" + OPEN,
    ),
    (
        "search_missing",
        "deduction",
        17,
        5,
        {},
        False,
        True,
        "扣分·站内搜索：首页未提供站内搜索。" + OPEN,
    ),
    (
        "footer_missing",
        "deduction",
        18,
        5,
        {"points_each": 1},
        False,
        True,
        "扣分·网站标识：页脚缺少主办单位、联系方式、网站标识码、ICP备案编号、公安机关备案"
        "标识等，每缺一项扣分。" + OPEN,
    ),
]


def seed(apps, schema_editor):
    IndicatorRule = apps.get_model("monitoring", "IndicatorRule")
    ScoringScheme = apps.get_model("monitoring", "ScoringScheme")
    for code, kind, position, points, thresholds, services, open_, basis in RULES:
        IndicatorRule.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "position": position,
                "points": points,
                "thresholds": thresholds,
                "concerns_services": services,
                "open_in_table": open_,
                "basis": basis,
            },
        )
    if not ScoringScheme.objects.exists():
        ScoringScheme.objects.create(
            total_points=100,
            without_services_points=75,
            pass_score=60,
            bonus_above=80,
            basis=SCHEME_BASIS,
        )


def unseed(apps, schema_editor):
    apps.get_model("monitoring", "IndicatorRule").objects.all().delete()
    apps.get_model("monitoring", "ScoringScheme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_indicator_rules_and_scoring_scheme")]

    operations = [migrations.RunPython(seed, unseed)]
