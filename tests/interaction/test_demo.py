"""The demo mailbox: every state, spread over units, some near their deadline and some overdue,
and loading it again changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interaction import demo as mailbox_demo
from interaction import workflow
from interaction.models import Message, MessageStatus

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
