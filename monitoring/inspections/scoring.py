"""Monthly scoring measured from the platform's data [C麻山]: what each unit published in a
month, its update frequency, and the points each rule gives for them."""

import calendar
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from publishing.models import Article, ArticleStatus

from .models import ScoreMethod

WEEKLY, FORTNIGHTLY, MONTHLY = "weekly", "fortnightly", "monthly"

#: Units self-score by the 10th and the inspector confirms by the 15th of the next month.
SELF_SCORE_DAY = 10
CONFIRM_DAY = 15


def month_bounds(year, month):
    """The month as [start, end) aware datetimes in the platform's time zone."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(first, time.min), zone),
        timezone.make_aware(datetime.combine(following, time.min), zone),
    )


def publication_days(year, month):
    """{unit id: [local day of month of each item published]} for one month; one query."""
    start, end = month_bounds(year, month)
    days = defaultdict(list)
    published = Article.objects.filter(
        status=ArticleStatus.PUBLISHED, published_at__gte=start, published_at__lt=end
    ).values_list("unit_id", "published_at")
    for unit_id, published_at in published:
        days[unit_id].append(timezone.localtime(published_at).day)
    return days


def _covers(days, periods):
    return all(any(first <= day <= last for day in days) for first, last in periods)


def update_frequency(days, year, month):
    """更新频率: weekly when each of days 1–7, 8–14, 15–21 and 22–end has an item,
    fortnightly when 1–14 and 15–end each have one, monthly when the month has one."""
    last = calendar.monthrange(year, month)[1]
    if _covers(days, [(1, 7), (8, 14), (15, 21), (22, last)]):
        return WEEKLY
    if _covers(days, [(1, 14), (15, last)]):
        return FORTNIGHTLY
    if days:
        return MONTHLY
    return None


def frequency_label(frequency):
    return {
        WEEKLY: _("weekly"),
        FORTNIGHTLY: _("fortnightly"),
        MONTHLY: _("monthly"),
        None: _("not updated"),
    }[frequency]


def compute_rule(rule, days, year, month):
    """(points or None for a rule scored by hand, what was measured) for one unit's month."""
    if rule.method == ScoreMethod.UPDATE_FREQUENCY:
        frequency = update_frequency(days, year, month)
        points = {
            WEEKLY: rule.weekly_points,
            FORTNIGHTLY: rule.fortnightly_points,
            MONTHLY: rule.monthly_points,
        }.get(frequency, Decimal(0))
        return min(points, rule.max_points), frequency_label(frequency)
    if rule.method == ScoreMethod.PER_ITEM:
        points = rule.points_per_item * len(days)
        return min(points, rule.max_points), _("%(count)d items") % {"count": len(days)}
    return None, ""
