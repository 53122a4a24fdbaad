"""The notification service: in-app plus e-mail, once per key."""

import pytest
from django.core import mail

from columns.models import Notification
from columns.notifications import notify


@pytest.mark.django_db(transaction=True)
def test_notification_with_key_is_sent_once(demo, user_named, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    head = user_named("edu_head")
    mail.outbox.clear()  # a demo reloaded after a transactional test has sent its own mail
    for _tick in range(2):
        notify([head], kind="test", title="待审核：示例信息", url="/admin/", key="review:1:step:1")
    assert Notification.objects.filter(recipient=head, kind="test").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["edu_head@example.gov.cn"]


@pytest.mark.django_db
def test_person_sees_only_own_notifications(demo, user_named, login_as):
    notify([user_named("edu_head")], kind="test", title="给科长的通知")
    notify([user_named("fin_head")], kind="test", title="给财政科长的通知")
    html = login_as("edu_head").get("/admin/columns/notification/").content.decode()
    assert "给科长的通知" in html
    assert "给财政科长的通知" not in html
