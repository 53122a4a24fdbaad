"""Celery beat: scheduled publishing, expiry and deadline alerts, each safe to run twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from columns.models import Notification
from publishing import selectors, services
from publishing.models import ArticleStatus
from publishing.signals import article_published, article_withdrawn
from publishing.tasks import alert_publishing_deadlines, publish_and_expire

from .conftest import approve_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    events = []

    def on_published(sender, article, **kwargs):
        events.append(("published", article.pk))

    def on_withdrawn(sender, article, **kwargs):
        events.append(("withdrawn", article.pk))

    article_published.connect(on_published)
    article_withdrawn.connect(on_withdrawn)
    yield events
    article_published.disconnect(on_published)
    article_withdrawn.disconnect(on_withdrawn)


def test_beat_tick_twice_publishes_a_scheduled_article_once_and_alerts_once(
    make_article, clock, received, django_capture_on_commit_callbacks, settings, user_named
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    scheduled = make_article(title="定时发布测试", published_at=timezone.now() + timedelta(hours=1))
    waiting = make_article(title="待人工发布测试", publish_on_approval=False)
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(scheduled)
        approve_all(waiting)
    assert scheduled.status == ArticleStatus.SCHEDULED
    assert waiting.status == ArticleStatus.APPROVED
    assert waiting.due_at == waiting.approved_at + timedelta(hours=24)
    assert scheduled not in selectors.published_articles()

    clock.move(hours=23)  # past the scheduled time, within two hours of waiting's deadline
    mail.outbox.clear()
    for _tick in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            publish_and_expire.apply()
            alert_publishing_deadlines.apply()

    scheduled.refresh_from_db()
    assert scheduled.status == ArticleStatus.PUBLISHED
    assert received.count(("published", scheduled.pk)) == 1
    assert scheduled in selectors.published_articles()
    assert (
        Notification.objects.filter(
            kind="article_published", title__contains="定时发布测试"
        ).count()
        == 1
    )
    alerts = Notification.objects.filter(
        kind="publishing_deadline", title__contains="待人工发布测试"
    )
    assert [n.recipient for n in alerts] == [user_named("edu_liaison")]
    assert "请于" in alerts.get().title
    assert [m.subject for m in mail.outbox if "待人工发布测试" in m.subject] == [alerts.get().title]
    # The scheduled one was online in time: no alert for it.
    assert not Notification.objects.filter(
        kind="publishing_deadline", title__contains="定时发布测试"
    ).exists()


def test_no_deadline_alert_while_the_deadline_is_far(make_article, clock):
    article = approve_all(make_article(title="远未到期", publish_on_approval=False))
    clock.move(hours=20)
    alert_publishing_deadlines.apply()
    assert not Notification.objects.filter(title__contains="远未到期", kind="publishing_deadline")
    assert article.status == ArticleStatus.APPROVED


def test_important_items_and_higher_portal_reposts_are_due_in_twelve_hours(make_article):
    important = approve_all(
        make_article(title="重要信息", importance="important", publish_on_approval=False),
        ("edu_head", "edu_deputy", "edu_leader"),
    )
    repost = approve_all(
        make_article(
            title="转载国务院信息",
            origin="repost_higher",
            source="中国政府网",
            publish_on_approval=False,
        )
    )
    for article in (important, repost):
        assert article.due_at - article.approved_at == timedelta(hours=12)


def test_expired_article_leaves_the_public_site_once(
    make_article, clock, received, django_capture_on_commit_callbacks
):
    article = make_article(title="将过期信息", expires_at=timezone.now() + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(article)
    assert article.status == ArticleStatus.PUBLISHED
    assert article in selectors.published_articles(article.column.site)
    clock.move(hours=3)
    for _tick in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            publish_and_expire.apply()
    article.refresh_from_db()
    assert article.status == ArticleStatus.EXPIRED
    assert article not in selectors.published_articles()
    assert received.count(("withdrawn", article.pk)) == 1


def test_withdrawal_needs_a_reason_and_hides_the_article(
    make_article, user_named, received, django_capture_on_commit_callbacks
):
    article = approve_all(make_article(title="要撤下的信息"))
    liaison = user_named("edu_liaison")
    with pytest.raises(Exception, match="请填写撤稿原因"):
        services.withdraw(article=article, by=liaison, reason=" ")
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(article=article, by=liaison, reason="数据有误")
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN
    assert article.withdrawal_reason == "数据有误"
    assert article not in selectors.published_articles()
    assert received == [("withdrawn", article.pk)]


def test_reviewer_cannot_publish_or_withdraw(make_article, user_named):
    article = approve_all(make_article(title="审核人不能撤稿", publish_on_approval=False))
    with pytest.raises(Exception, match="只有本单位信息员或平台运维人员"):
        services.publish(article=article, by=user_named("edu_head"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.APPROVED


def test_beat_schedule_runs_publishing_tasks_every_minute():
    from portal.celery import app

    entries = {e["task"]: e["schedule"] for e in app.conf.beat_schedule.values()}
    for task in (
        "publishing.tasks.publish_and_expire",
        "publishing.tasks.alert_publishing_deadlines",
    ):
        assert entries[task].remaining_estimate(timezone.now()) <= timedelta(minutes=1)
