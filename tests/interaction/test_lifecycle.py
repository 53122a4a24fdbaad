"""The message's life through the services: routing, transfer, questions to the citizen that
stop the clock, replies and their approval, extensions under the 3-month cap, type changes,
merging, and the handover of a liaison's assignments."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from columns.models import Role
from columns.services import create_staff, hand_over_liaison
from interaction import services
from interaction.models import (
    DeadlineChange,
    ExtensionRequest,
    MailboxPolicy,
    Message,
    MessageEvent,
    MessageStatus,
)
from interaction.working_days import end_of_day, local_date, start_of_day

pytestmark = pytest.mark.django_db


def messages_of(error):
    return " ".join(error.value.messages)


def test_due_date_runs_from_receipt_over_the_national_day_holiday(clock, submit):
    clock.on(date(2024, 9, 30))
    message, _password = submit(kind="consultation")
    assert local_date(message.due_at) == date(2024, 10, 15)
    assert message.due_at == end_of_day(date(2024, 10, 15))
    # The reminder goes out as the working day before the due day begins: Mon 14 Oct.
    assert message.remind_at == start_of_day(date(2024, 10, 14))
    assert local_date(message.cap_at) == date(2024, 12, 30)


def test_per_site_deadlines(clock, submit, edu_site):
    clock.on(date(2024, 9, 30))
    portal_error, _pw = submit(kind="site_error")
    edu_error, _pw = submit(kind="site_error", site=edu_site)
    complaint, _pw = submit(kind="complaint")
    assert local_date(portal_error.due_at) == date(2024, 10, 10)  # 3 working days
    assert local_date(edu_error.due_at) == date(2024, 10, 9)  # the sub-site chose 2
    # 15 working days: 8–12 (Sat 12 调休), 14–18, 21–25 October.
    assert local_date(complaint.due_at) == date(2024, 10, 25)


def test_route_transfer_and_reassign_keep_the_due_date(routed, user_named, unit_named):
    message = routed(unit="区教育局")
    due = message.due_at
    assert message.status == MessageStatus.ASSIGNED
    assert message.assignee.username == "edu_liaison"

    services.request_transfer(message=message, by=user_named("edu_liaison"), reason="属财政局职责")
    services.decide_transfer(
        message=message, by=user_named("dispatcher"), approve=True, unit=unit_named("区财政局")
    )
    message.refresh_from_db()
    assert message.unit.name == "区财政局"
    assert message.assignee.username == "fin_liaison"
    assert message.status == MessageStatus.ASSIGNED
    assert message.due_at == due and message.deadline_version == 1
    actions = list(message.events.values_list("action", flat=True))
    assert actions == ["submitted", "route", "request_transfer", "approve_transfer"]


def test_transfer_must_be_asked_within_three_working_days(clock, routed, user_named):
    clock.on(date(2024, 10, 8))
    message = routed()
    clock.on(date(2024, 10, 12))  # Sat 调休: the 4th working day after routing
    with pytest.raises(ValidationError) as error:
        services.request_transfer(
            message=message, by=user_named("edu_liaison"), reason="不是我们的"
        )
    assert "3 个工作日内" in messages_of(error)
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED


def test_another_unit_cannot_act_on_a_message(routed, user_named):
    message = routed(unit="区教育局")
    with pytest.raises(PermissionDenied):
        services.draft_reply(message=message, by=user_named("fin_liaison"), body="答复")
    with pytest.raises(PermissionDenied):
        services.route(message=message, by=user_named("edu_liaison"), unit=message.unit)
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED and message.reply_body == ""


def test_reply_is_drafted_approved_sent_and_published(
    routed, user_named, django_capture_on_commit_callbacks
):
    message = routed(publish_allowed=True)
    services.draft_reply(message=message, by=user_named("edu_liaison"), body="今年政策不变。")
    with pytest.raises(PermissionDenied):
        services.approve_reply(message=message, by=user_named("edu_liaison"))
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_reply(message=message, by=user_named("edu_head"))
    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED
    assert message.reply_unit.name == "区教育局" and message.is_public
    assert message.answered_on_time is True and message.working_days_to_reply == 0
    assert any("今年政策不变。" in m.body for m in mail.outbox)
    assert list(message.events.values_list("action", flat=True))[-3:] == [
        "draft_reply",
        "approve_reply",
        "send_reply",
    ]


def test_leader_approves_too_where_the_site_requires(routed, user_named, portal):
    MailboxPolicy.objects.update_or_create(site=portal, defaults={"reply_needs_leader": True})
    message = routed()
    services.draft_reply(message=message, by=user_named("edu_liaison"), body="答复内容")
    services.approve_reply(message=message, by=user_named("edu_head"))
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLY_APPROVED and message.answered_at is None
    with pytest.raises(PermissionDenied):
        services.approve_reply(message=message, by=user_named("edu_head"))
    services.approve_reply(message=message, by=user_named("edu_deputy"))
    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED


def test_returned_reply_goes_back_to_the_unit_with_the_reason(routed, user_named):
    message = routed()
    services.draft_reply(message=message, by=user_named("edu_liaison"), body="草稿")
    with pytest.raises(ValidationError):
        services.return_reply(message=message, by=user_named("edu_head"), comment="")
    services.return_reply(message=message, by=user_named("edu_head"), comment="请补充政策依据")
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED
    assert message.events.last().comment == "请补充政策依据"


def test_request_for_information_stops_the_clock(clock, routed, user_named):
    clock.on(date(2024, 9, 30))
    message = routed(kind="consultation")  # due 2024-10-15
    clock.on(date(2024, 10, 8))
    services.request_info(message=message, by=user_named("edu_liaison"), question="请提供学籍号")
    message.refresh_from_db()
    assert message.status == MessageStatus.AWAITING_INFO and message.next_alert_at is None
    clock.on(date(2024, 10, 11))  # 3 working days later (9, 10, 11 Oct)
    services.supply_info(message=message, text="学籍号是 G123")
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED
    assert message.clock_stopped_days == 3
    # 15 Oct + 3 working days: 16, 17, 18 Oct.
    assert local_date(message.due_at) == date(2024, 10, 18)
    change = message.deadlines.get(version=2)
    assert change.reason == DeadlineChange.Reason.CLOCK_STOPPED


def test_extension_within_the_cap_is_a_new_deadline_version(clock, routed, user_named):
    clock.on(date(2024, 9, 30))
    message = routed(kind="consultation")
    extension = services.request_extension(
        message=message, by=user_named("edu_liaison"), working_days=5, reason="需要实地核查"
    )
    message.refresh_from_db()
    assert message.deadline_version == 1  # only the dispatcher's approval moves the date
    services.decide_extension(extension=extension, by=user_named("dispatcher"), approve=True)
    message.refresh_from_db()
    assert message.deadline_version == 2
    assert local_date(message.due_at) == date(2024, 10, 22)
    assert message.deadlines.get(version=2).reason == DeadlineChange.Reason.EXTENSION


def test_extension_past_the_three_month_cap_is_refused_and_nothing_changes(
    clock, routed, user_named
):
    clock.on(date(2024, 9, 30))
    message = routed(kind="handling")  # due 2024-10-25, cap 2024-12-30
    with pytest.raises(ValidationError) as error:
        services.request_extension(
            message=message, by=user_named("edu_liaison"), working_days=60, reason="复杂"
        )
    assert "超过受理后 3 个月" in messages_of(error)
    assert "2024-12-30" in messages_of(error)
    assert not ExtensionRequest.objects.filter(message=message).exists()
    message.refresh_from_db()
    assert message.deadline_version == 1 and local_date(message.due_at) == date(2024, 10, 25)


def test_extension_that_became_too_long_is_refused_at_approval(clock, routed, user_named):
    clock.on(date(2024, 9, 30))
    message = routed(kind="handling")
    first = services.request_extension(
        message=message, by=user_named("edu_liaison"), working_days=40, reason="复杂"
    )
    services.decide_extension(extension=first, by=user_named("dispatcher"), approve=True)
    second = services.request_extension(
        message=message, by=user_named("edu_liaison"), working_days=1, reason="再延一天"
    )
    ExtensionRequest.objects.filter(pk=second.pk).update(working_days=10)
    with pytest.raises(ValidationError):
        services.decide_extension(extension=second, by=user_named("dispatcher"), approve=True)
    second.refresh_from_db()
    message.refresh_from_db()
    assert second.status == ExtensionRequest.Status.PENDING
    assert message.deadline_version == 2


def test_type_change_recomputes_the_due_date_from_receipt(clock, routed, user_named):
    clock.on(date(2024, 9, 30))
    message = routed(kind="consultation")
    clock.on(date(2024, 10, 9))
    services.change_kind(
        message=message, by=user_named("dispatcher"), kind="handling", reason="需要办理"
    )
    message.refresh_from_db()
    assert local_date(message.due_at) == date(2024, 10, 25)
    assert message.deadline_version == 2
    assert message.deadlines.get(version=2).reason == DeadlineChange.Reason.TYPE_CHANGE
    with pytest.raises(PermissionDenied):
        services.change_kind(
            message=message, by=user_named("edu_liaison"), kind="consultation", reason="x"
        )


def test_duplicates_from_the_same_contact_are_merged(submit, user_named):
    first, _pw = submit(subject="路灯不亮", phone="13700000000", email="")
    second, _pw = submit(subject="路灯不亮（再次）", phone="13700000000", email="")
    other, _pw = submit(subject="路灯", phone="13600000000", email="other@example.com")
    with pytest.raises(ValidationError) as error:
        services.merge(message=other, into=first, by=user_named("dispatcher"))
    assert "同一联系人" in messages_of(error)
    services.merge(message=second, into=first, by=user_named("dispatcher"))
    second.refresh_from_db()
    assert second.status == MessageStatus.MERGED and second.merged_into == first
    assert second.next_alert_at is None


def test_held_message_is_released_or_discarded_by_the_dispatcher(submit, user_named):
    held, _pw = submit(content="这是一份内部资料的内容")
    assert held.status == MessageStatus.HELD
    with pytest.raises(PermissionDenied):
        services.release(message=held, by=user_named("edu_liaison"))
    services.release(message=held, by=user_named("dispatcher"))
    held.refresh_from_db()
    assert held.status == MessageStatus.RECEIVED

    spam, _pw = submit(content="内部资料出售")
    with pytest.raises(ValidationError):
        services.discard(message=spam, by=user_named("dispatcher"), reason="")
    services.discard(message=spam, by=user_named("dispatcher"), reason="广告")
    spam.refresh_from_db()
    assert spam.status == MessageStatus.CLOSED


def test_rating_closes_or_allows_one_reopening(routed, user_named):
    def answer(message):
        services.draft_reply(message=message, by=user_named("edu_liaison"), body="答复")
        services.approve_reply(message=message, by=user_named("edu_head"))
        message.refresh_from_db()
        return message

    happy = answer(routed())
    services.rate(message=happy, rating="satisfied")
    happy.refresh_from_db()
    assert happy.status == MessageStatus.CLOSED

    unhappy = answer(routed())
    services.rate(message=unhappy, rating="unsatisfied", comment="没有回答问题")
    services.reopen(message=unhappy, reason="请说明具体时间")
    unhappy.refresh_from_db()
    assert unhappy.status == MessageStatus.ASSIGNED
    unhappy = answer(unhappy)
    services.rate(message=unhappy, rating="unsatisfied")
    with pytest.raises(ValidationError) as error:
        services.reopen(message=unhappy, reason="还是不满意")
    assert "已重新办理过一次" in messages_of(error)
    unhappy.refresh_from_db()
    assert unhappy.status == MessageStatus.RATED


def test_handover_moves_open_message_assignments(routed, user_named, unit_named):
    edu = unit_named("区教育局")
    message = routed(unit="区教育局")
    new_liaison = create_staff(
        username="edu_liaison2", unit=edu, roles=[], password="x-Portal-2026-new"
    )
    record = hand_over_liaison(
        unit=edu,
        old_user=user_named("edu_liaison"),
        new_user=new_liaison,
        performed_by=user_named("operator"),
    )
    message.refresh_from_db()
    assert message.assignee == new_liaison
    assert record.moved["messages"] >= 1
    assert has_liaison_role(new_liaison)
    services.draft_reply(message=message, by=new_liaison, body="新信息员答复")


def has_liaison_role(user):
    return user.groups.filter(name=Role.LIAISON).exists()


def test_every_state_change_is_recorded(routed, user_named):
    message = routed()
    services.request_info(message=message, by=user_named("edu_liaison"), question="补充")
    event = MessageEvent.objects.filter(message=message).last()
    assert event.action == "request_info" and event.actor.username == "edu_liaison"
    assert (event.from_status, event.to_status) == ("assigned", "awaiting_info")
    assert Message.objects.get(pk=message.pk).status == "awaiting_info"
