"""Helpers for monitoring's tests: instants, columns and published items."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from columns.models import Column, Unit
from publishing import services
from publishing.models import Article


def instant(*args):
    """An aware local instant: instant(2026, 3, 2, 9) is 09:00 Asia/Shanghai."""
    return timezone.make_aware(datetime(*args))


def unit(key):
    return Unit.objects.get(email=f"{key}@example.gov.cn")


def make_column(site, slug, *, category="news", unit_key="edu", parent=None, **fields):
    return Column.objects.create(
        site=site,
        parent=parent,
        slug=slug,
        name=f"测试栏目{slug}",
        category=category,
        unit=unit(unit_key),
        unit_assigned_explicitly=True,
        **fields,
    )


def publish_in(column, at=None, *, title="测试信息", body="<p>测试正文。</p>"):
    """An item published in column at instant at, by default now (carried over, as the
    operator imports)."""
    operator = get_user_model().objects.get(username="operator")
    article = Article(title=title, body=body, column=column, unit=column.unit, author=operator)
    return services.import_published(
        article=article, by=operator, published_at=at or timezone.now()
    )
