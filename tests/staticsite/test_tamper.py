"""防篡改 as one task with one alert path: the hourly check of what is served also compares the
articles' text in the database with the text approved, and every finding is a TamperAlert with
its notification (the files and live answers themselves: test_distribution.py)."""

import pytest

from columns.models import Notification
from monitoring.models import PageFingerprint, TamperAlert
from portal.celery import app
from publishing.models import Article
from staticsite import tamper, tasks
from tests.monitoring.factories import make_column, publish_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(demo, django_capture_on_commit_callbacks):
    """An article of the edu unit, published (its approved text fingerprinted)."""
    with django_capture_on_commit_callbacks(execute=True):
        return publish_in(
            make_column(demo, "tamper-news"),
            title="防篡改测试",
            body="<p>本局召开安全生产会议。</p>",
        )


def check():
    """The beat's hourly tamper task."""
    return tasks.check_served_pages.run()


def test_the_one_tamper_task_is_on_the_beat_and_the_old_probe_is_gone():
    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "staticsite.tasks.check_served_pages" in entries
    assert not any("tamper" in task for task in entries - {"staticsite.tasks.check_served_pages"})


def test_an_article_changed_in_the_database_behind_the_review_is_alerted_once(article):
    assert check() == []
    assert PageFingerprint.objects.get(article=article).matched is True

    Article.objects.filter(pk=article.pk).update(body="<p>本局召开娱乐活动。</p>")
    path = article.get_absolute_url()
    assert check() == [(article.column.site.primary_host, path, tamper.IN_DATABASE)]
    check()  # found again the next hour: the same alert, no new notification
    alert = TamperAlert.objects.get()
    assert alert.fingerprint.article == article
    assert alert.reason == "信息正文未经审核被改动"
    assert alert.url.endswith(path)
    assert PageFingerprint.objects.get(article=article).matched is False
    sent = Notification.objects.filter(kind="tamper_alert")
    assert {n.recipient.username for n in sent} == {"operator", "edu_liaison"}
    assert sent.count() == 2  # one alert, to each of the two people, once
    assert all("防篡改测试" in n.title for n in sent)

    Article.objects.filter(pk=article.pk).update(body="<p>本局召开第二次娱乐活动。</p>")
    check()  # other content found: another alert
    assert TamperAlert.objects.count() == 2


def test_an_altered_fingerprint_is_alerted(article):
    PageFingerprint.objects.filter(article=article).update(text="本局召开娱乐活动。")
    check()
    assert TamperAlert.objects.get().reason == "存储的指纹被改动"
