"""The 3-month cap is one fixed limit: receipt + 3 calendar months, never moved by a clock
stop. The working-day deadline pauses while the unit waits for the citizen; a message still
waiting at the cap is closed with its reason. The mailbox, the statistics and both
indicators (答复超期, 互动回应差) judge every message the same way on the same data."""

from datetime import date

import pytest
from django.core import mail

from interaction import selectors, services, tasks
from interaction.models import Message, MessageStatus
from interaction.working_days import local_date
from monitoring.indicators import assess

pytestmark = pytest.mark.django_db


def evidence_codes(site, code, received="20240930"):
    """The tracking codes (they start with the day of receipt) an indicator lists; the demo's
    own messages of other days are left out."""
    outcome = next(i for i in assess(site).items if i.indicator.code == code).outcome
    return {e.label.split()[0] for e in outcome.evidence} & {
        m.tracking_code for m in Message.objects.filter(tracking_code__startswith=received)
    }


def overdue_in_statistics(site, month):
    return sum(
        row["overdue"]
        for row in selectors.statistics(site)
        if local_date(row["month"]).strftime("%Y-%m") == month
    )


def answer(message, user_named):
    services.draft_reply(message=message, by=user_named("edu_liaison"), body="经核实，答复如下。")
    return services.approve_reply(message=message, by=user_named("edu_head"))


def test_a_clock_stop_pauses_the_deadline_but_not_the_cap(clock, routed, user_named):
    clock.on(date(2024, 9, 30))
    message = routed(kind="consultation")  # due 15 Oct 2024, cap 30 Dec 2024
    clock.on(date(2024, 10, 8))
    services.request_info(message=message, by=user_named("edu_liaison"), question="请提供学籍号")
    clock.on(date(2024, 10, 11))  # 3 working days waiting
    services.supply_info(message=message, text="学籍号是 G123")
    message.refresh_from_db()
    assert local_date(message.cap_at) == date(2024, 12, 30)
    assert local_date(message.due_at) == date(2024, 10, 18)

    clock.on(date(2024, 10, 14))
    services.request_info(message=message, by=user_named("edu_liaison"), question="请提供户籍证明")
    clock.on(date(2024, 12, 27))  # 54 more working days: the deadline stops at the cap
    services.supply_info(message=message, text="户籍证明已上传")
    message.refresh_from_db()
    assert local_date(message.cap_at) == date(2024, 12, 30)
    assert local_date(message.due_at) == date(2024, 12, 30)


def test_mailbox_statistics_and_indicators_agree_on_every_message(
    clock, routed, user_named, portal, django_capture_on_commit_callbacks
):
    clock.on(date(2024, 9, 30))
    on_time = routed(kind="consultation", subject="按时答复")
    late_after_stop = routed(kind="consultation", subject="停表后四个月才答复")
    waiting = routed(kind="consultation", subject="一直未补充材料")
    open_past_cap = routed(kind="consultation", subject="超过三个月仍未答复")
    # Day 92 after receipt, but past 30 Dec: a count of days would not call it late.
    day_after_cap = routed(kind="consultation", subject="上限次日凌晨才答复")

    clock.on(date(2024, 10, 8))
    answer(on_time, user_named)
    for message in (late_after_stop, waiting):
        services.request_info(message=message, by=user_named("edu_liaison"), question="请补充")
    clock.on(date(2024, 12, 20))
    services.supply_info(message=late_after_stop, text="补充材料")

    clock.on(date(2024, 12, 31), hour=1)  # the cap (30 Dec) has passed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_unsupplied_messages.apply().get() == 1
    assert tasks.close_unsupplied_messages.apply().get() == 0  # once only
    answer(day_after_cap, user_named)

    clock.on(date(2025, 1, 30))  # four months after receipt
    answer(late_after_stop, user_named)

    clock.on(date(2025, 2, 3))
    for message in (on_time, late_after_stop, waiting, open_past_cap, day_after_cap):
        message.refresh_from_db()

    # The mailbox.
    assert on_time.answered_on_time is True
    assert late_after_stop.answered_on_time is False
    assert waiting.status == MessageStatus.CLOSED and waiting.answered_at is None
    closing = waiting.events.get(action="close_unsupplied")
    assert "2024-12-30" in closing.comment and closing.detail == {"reason": "not_supplied"}
    assert [m.to for m in mail.outbox] == [["zhangsan@example.com"]]
    assert "2024-12-30" in mail.outbox[0].body
    assert open_past_cap.status == MessageStatus.ASSIGNED
    assert day_after_cap.answered_on_time is False

    late = {late_after_stop.tracking_code, open_past_cap.tracking_code, day_after_cap.tracking_code}
    # The statistics count exactly these as overdue, the 答复超期 indicator lists them, and
    # 互动回应差 (past the 3-month cap) lists the same three.
    assert overdue_in_statistics(portal, "2024-09") == len(late)
    assert evidence_codes(portal, "late_replies") == late
    assert evidence_codes(portal, "poor_interaction") == late
    # The message closed for want of the citizen's information is late nowhere.
    assert Message.objects.filter(pk=waiting.pk, answered_on_time=False).count() == 0
