"""Deadline alerts on Celery beat: the reminder one working day before due, the escalation on
becoming overdue, each sent once however often the task runs or is redelivered."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from columns.models import Notification
from interaction import services, tasks
from interaction.models import DeadlineAlert, Message
from portal.celery import app
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def alerts_for(message):
    return sorted(
        DeadlineAlert.objects.filter(message=message).values_list("kind", "deadline_version")
    )


def notified(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_beat_schedule_runs_the_alerts_every_15_minutes():
    entry = app.conf.beat_schedule["interaction-deadline-alerts"]
    assert entry["task"] == "interaction.tasks.alert_message_deadlines"
    assert entry["schedule"].minute == {0, 15, 30, 45}


def test_reminder_one_working_day_before_due_then_escalation_once_each(clock, routed):
    clock.on(date(2024, 9, 30))
    message = routed(kind="consultation")  # due end of Tue 15 Oct
    clock.on(date(2024, 10, 12), hour=23)  # Sat 调休, still before the reminder time
    assert tasks.alert_message_deadlines.apply().get() == 0

    clock.on(date(2024, 10, 14), hour=8)  # the last working day began
    assert tasks.alert_message_deadlines.apply().get() == 1
    assert tasks.alert_message_deadlines.apply().get() == 0  # a double tick
    assert alerts_for(message) == [("reminder", 1)]
    assert notified("message_reminder") == ["edu_liaison"]

    clock.on(date(2024, 10, 16), hour=0)  # overdue
    assert tasks.alert_message_deadlines.apply().get() == 1
    assert tasks.alert_message_deadlines.apply().get() == 0
    assert alerts_for(message) == [("overdue", 1), ("reminder", 1)]
    assert notified("message_overdue") == ["dispatcher", "edu_deputy", "edu_leader"]
    message.refresh_from_db()
    assert message.next_alert_at is None


def test_a_redelivered_task_working_from_a_stale_scan_sends_nothing_twice(clock, routed):
    clock.on(date(2024, 9, 30))
    message = routed(kind="consultation")
    clock.on(date(2024, 10, 16), hour=9)
    first = tasks.alert_message_deadlines.apply(task_id="beat-tick-1").get()
    assert first == 1
    # The worker died after committing and the broker redelivers the same task (acks_late);
    # make it see the message as still due, as a scan read before the commit would.
    Message.objects.filter(pk=message.pk).update(next_alert_at=message.remind_at)
    assert tasks.alert_message_deadlines.apply(task_id="beat-tick-1").get() == 0
    assert DeadlineAlert.objects.filter(message=message).count() == 1
    assert len(notified("message_overdue")) == 3


def test_an_extension_opens_a_new_deadline_version_with_its_own_alerts(clock, routed, user_named):
    clock.on(date(2024, 9, 30))
    message = routed(kind="consultation")
    clock.on(date(2024, 10, 14), hour=9)
    services.send_deadline_alerts()
    extension = services.request_extension(
        message=message, by=user_named("edu_liaison"), working_days=3, reason="需会商"
    )
    services.decide_extension(extension=extension, by=user_named("dispatcher"), approve=True)
    clock.on(date(2024, 10, 17), hour=9)  # the working day before the new due date (18 Oct)
    assert services.send_deadline_alerts() == 1
    assert alerts_for(message) == [("reminder", 1), ("reminder", 2)]


def test_no_alerts_while_the_clock_is_stopped_or_after_the_answer(clock, routed, user_named):
    clock.on(date(2024, 9, 30))
    waiting = routed()
    answered = routed()
    services.request_info(message=waiting, by=user_named("edu_liaison"), question="请补充")
    services.draft_reply(message=answered, by=user_named("edu_liaison"), body="答复")
    services.approve_reply(message=answered, by=user_named("edu_head"))
    clock.on(date(2024, 10, 20))
    assert services.send_deadline_alerts() == 0
    assert not DeadlineAlert.objects.exists()


def test_unrouted_overdue_message_escalates_to_the_dispatcher(clock, submit):
    clock.on(date(2024, 9, 30))
    submit(kind="site_error")
    clock.on(date(2024, 10, 11))
    assert services.send_deadline_alerts() == 1
    assert notified("message_overdue") == ["dispatcher"]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_beat_workers_at_once_send_each_alert_once(demo, routed):
    Message.objects.update(next_alert_at=None)  # the demo's own alerts are not this test's
    messages = [routed(subject=f"并发提醒{i}") for i in range(20)]
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(
        due_at=timezone.now() - timedelta(hours=1),
        next_alert_at=timezone.now() - timedelta(hours=1),
    )
    outcomes = run_at_once(services.send_deadline_alerts, services.send_deadline_alerts)
    assert [kind for kind, _sent in outcomes] == ["ok", "ok"], outcomes
    results = [sent for _kind, sent in outcomes]
    assert sum(results) == 20
    assert DeadlineAlert.objects.filter(message__in=messages).count() == 20
    # Each escalation reached the unit's two leaders and the dispatcher, once.
    assert Notification.objects.filter(kind="message_overdue").count() == 20 * 3
