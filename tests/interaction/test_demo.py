"""The demo mailbox: every state, spread over units, some near their deadline and some overdue,
and loading it again changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interaction import demo as mailbox_demo
from interaction import workflow
from interaction.models import Message, MessageEvent, MessageStatus

pytestmark = pytest.mark.django_db


def test_demo_has_messages_in_every_state_near_and_overdue(demo):
    states = set(Message.objects.values_list("status", flat=True))
    assert states == set(MessageStatus.values)
    units = set(Message.objects.exclude(unit=None).values_list("unit__name", flat=True))
    assert {"区教育局", "区财政局", "区卫生健康局", "区住房和城乡建设局"} <= units
    now = timezone.now()
    running = Message.objects.filter(status__in=workflow.CLOCK_RUNNING)
    assert running.filter(due_at__lt=now).exists()
    assert running.filter(due_at__gte=now, remind_at__lte=now + timedelta(days=10)).exists()
    assert Message.objects.filter(is_public=True).count() >= 3


def test_loading_the_demo_again_changes_nothing(demo):
    before = Message.objects.count()
    mailbox_demo.load()
    assert Message.objects.count() == before


def test_the_demo_history_is_dated_at_the_story_moments_not_when_it_was_loaded(demo):
    # Each action of the story happens at 10:00 or 15:00 of a working day, passed to the
    # services as at=; nothing patches the clock, so a stamp of "now" would show here.
    events = MessageEvent.objects.select_related("message")
    assert events.count() > 50
    for event in events:
        local = timezone.localtime(event.at)
        assert (local.hour, local.minute, local.second) in {(10, 0, 0), (15, 0, 0)}, event
    for message in Message.objects.all():
        first = message.deadlines.order_by("version").first()
        assert first.changed_at == message.received_at
        assert events.get(message=message, action="submitted").at == message.received_at
        if message.assigned_at is not None:
            assert (
                events.filter(message=message, action__in=["route", "approve_transfer"])
                .filter(at=message.assigned_at)
                .exists()
            )
        if message.answered_at is not None:
            assert events.get(message=message, action="send_reply").at == message.answered_at
    assert Message.objects.filter(received_at__lt=timezone.now() - timedelta(days=60)).exists()
