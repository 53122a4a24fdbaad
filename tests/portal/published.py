"""Helpers for portal tests: articles put online through publishing's own services."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from columns.models import Column, Site, Unit
from publishing import services
from publishing.models import Article, ArticleKind, ServiceItem


def column_named(slug, site_code="5201020001"):
    return Column.objects.get(site__site_code=site_code, slug=slug)


def publish(title, body="", *, column="edu-news", site_code="5201020001", age=None, **fields):
    """An article carried over as published by the operator, with its commit hooks run.

    age: how long ago it was published (default one hour).
    """
    operator = get_user_model().objects.get(username="operator")
    col = column_named(column, site_code)
    fields.setdefault("kind", ArticleKind.ARTICLE)
    article = Article(
        title=title, body=f"<p>{body}</p>", column=col, unit=col.unit, author=operator, **fields
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.import_published(
            article=article,
            by=operator,
            published_at=timezone.now() - (age or timedelta(hours=1)),
        )
    return article


def withdraw(article, reason="内容有误"):
    operator = get_user_model().objects.get(username="operator")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.withdraw(article=article, by=operator, reason=reason)


def service_item(name, *, summary="", site_code="5201020001", unit="区教育局", published=True):
    """A service item (办事事项) of a demo unit, saved as the admin would."""
    return ServiceItem.objects.create(
        site=Site.objects.get(site_code=site_code),
        unit=Unit.objects.get(name=unit),
        name=name,
        summary=summary,
        legal_basis="《中华人民共和国教育法》",
        conditions="本区户籍适龄儿童。",
        procedure="网上申请\n现场审核",
        time_limit="5 个工作日",
        office="区政务服务中心",
        contact="0851-88880000",
        is_published=published,
    )
