"""The notification service: in-app plus e-mail, once per key."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from columns import notifications
from columns.models import Notification
from columns.notifications import Notice, notify, notify_all
from columns.tasks import send_pending_notification_emails
from portal.celery import app


@pytest.mark.django_db
def test_notification_with_key_is_sent_once(
    demo, user_named, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    head = user_named("edu_head")
    for _tick in range(2):
        # The e-mail goes when the tick's transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                [head], kind="test", title="待审核：示例信息", url="/admin/", key="review:1:step:1"
            )
    assert Notification.objects.filter(recipient=head, kind="test").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["edu_head@example.gov.cn"]


def notices(number, recipients):
    return [Notice(recipients, kind="test", title=f"栏目{n}", key=f"t:{n}") for n in range(number)]


@pytest.mark.django_db
def test_notify_all_sends_each_key_once_in_a_fixed_number_of_queries(
    demo, user_named, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    edu, fin = user_named("edu_liaison"), user_named("fin_liaison")
    notify([edu], kind="test", title="栏目0", key="t:0")
    mail.outbox.clear()

    def queries(number):
        with CaptureQueriesContext(connection) as ctx:
            with django_capture_on_commit_callbacks() as emails:
                notify_all(notices(number, [edu, fin, edu]))
        return len(ctx.captured_queries), emails

    two, _emails = queries(2)
    six, emails = queries(6)
    assert two == six

    sent = Notification.objects.filter(kind="test")
    assert sorted(sent.filter(recipient=edu).values_list("key", flat=True)) == [
        f"t:{n}" for n in range(6)
    ]
    assert sent.filter(recipient=fin).count() == 6
    for email in emails:
        email()
    assert len(mail.outbox) == 8  # the 4 new keys of the second call, to 2 people
    assert notify_all(notices(6, [edu, fin])) == []


@pytest.mark.django_db
def test_notify_all_skips_keys_a_concurrent_run_sent_after_its_read(demo, user_named, monkeypatch):
    edu = user_named("edu_liaison")
    notify([edu], kind="test", title="栏目1", key="t:1")
    # The other run's row lands between this run's read and its insert.
    monkeypatch.setattr(notifications, "_sent", lambda keys: set())

    created = notify_all(notices(3, [edu]))

    assert sorted(n.key for n in created) == ["t:0", "t:2"]
    assert Notification.objects.filter(kind="test", recipient=edu).count() == 3


@pytest.mark.django_db
def test_person_sees_only_own_notifications(demo, user_named, login_as):
    notify([user_named("edu_head")], kind="test", title="给科长的通知")
    notify([user_named("fin_head")], kind="test", title="给财政科长的通知")
    html = login_as("edu_head").get("/admin/columns/notification/").content.decode()
    assert "给科长的通知" in html
    assert "给财政科长的通知" not in html


@pytest.mark.django_db
def test_lost_emails_are_retried_after_five_minutes_and_not_after_a_day(demo, user_named, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    head = user_named("edu_head")
    now = timezone.now()
    ages = {"刚刚的通知": 1, "六分钟前的通知": 6, "两天前的通知": 2 * 24 * 60}
    for title, minutes in ages.items():
        notify([head], kind="test", title=title)  # inside the test's transaction: never sent
        Notification.objects.filter(title=title).update(created_at=now - timedelta(minutes=minutes))
    mail.outbox.clear()

    assert send_pending_notification_emails.apply().get() == 1
    assert [m.subject for m in mail.outbox] == ["六分钟前的通知"]
    emailed = dict(Notification.objects.filter(kind="test").values_list("title", "emailed"))
    assert emailed == {"刚刚的通知": False, "六分钟前的通知": True, "两天前的通知": False}


def test_beat_retries_lost_emails_every_five_minutes():
    entry = app.conf.beat_schedule["columns-pending-notification-emails"]
    assert entry["task"] == "columns.tasks.send_pending_notification_emails"
    assert entry["schedule"].minute == set(range(0, 60, 5))
