"""Fixtures for publishing: columns by slug and article factories."""

import pytest
from django.contrib.auth import get_user_model

from columns.models import Column
from publishing import services
from publishing.models import Article


@pytest.fixture
def column_named(demo):
    def find(slug, site_code="5201020001"):
        return Column.objects.get(site__site_code=site_code, slug=slug)

    return find


@pytest.fixture
def make_article(demo, column_named):
    """make_article(title=..., author="edu_liaison", column="edu-news", **fields) -> a draft."""

    def make(title="测试信息", author="edu_liaison", column="edu-news", **fields):
        user = get_user_model().objects.get(username=author)
        col = column_named(column)
        article = Article(
            title=title, body="<p>正文</p>", column=col, unit=col.unit, author=user, **fields
        )
        return services.save_article(article=article, by=user)

    return make


def decide_as(run, user, outcome="approve", comment="同意。", step_index=None):
    run.refresh_from_db()
    return services.decide(
        run=run,
        step_index=run.current_index if step_index is None else step_index,
        by=user,
        outcome=outcome,
        comment=comment,
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded attachments and covers land in a temporary folder, not under var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def approve_all(article, usernames=("edu_head", "edu_deputy")):
    """Submit article as its author and approve each step as the given reviewers."""
    run = services.submit(article=article, by=article.author)
    for username in usernames:
        decide_as(run, get_user_model().objects.get(username=username))
    article.refresh_from_db()
    return article


@pytest.fixture
def clock(monkeypatch):
    """clock.move(hours=…) moves the one clock (django.utils.timezone.now) forward."""
    from datetime import timedelta

    from django.utils import timezone

    real_now = timezone.now

    class Clock:
        offset = timedelta()

        def move(self, **delta):
            self.offset += timedelta(**delta)
            monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    return Clock()
