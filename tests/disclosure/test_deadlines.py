"""Deadline arithmetic of 《政府信息公开条例》 Art. 30 and 33 on the working-day calendar: 20
working days from receipt across the National Day holiday, + at most 20 by extension, 补正
counting afresh, third-party consultation excluded, provisional over an unknown year, and the
once-only reminders and the withdrawal of unclarified requests run by the beat tasks."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from disclosure import services, tasks
from disclosure.models import (
    DisclosureRequest,
    RequestAlert,
    RequestDeadline,
    RequestExtension,
    RequestStatus,
)
from interaction.working_days import local_date


def test_twenty_working_days_across_national_day(clock, assigned):
    # Friday 27 September 2024: 29 Sep (Sunday) and 12 Oct (Saturday) are 调休 workdays,
    # 1–7 October off; the 20th working day after receipt is Wednesday 30 October.
    clock.on(date(2024, 9, 27))
    request = assigned()
    assert local_date(request.due_at) == date(2024, 10, 30)
    assert not request.due_provisional
    assert request.deadlines.get().reason == RequestDeadline.Reason.RECEIPT


def test_extension_of_twenty_days_approved_by_the_office_head(clock, assigned, user_named):
    clock.on(date(2024, 9, 27))
    request = assigned()
    extension = services.request_extension(
        request=request, by=user_named("edu_liaison"), working_days=20, reason="需调取档案"
    )
    services.decide_extension(extension=extension, by=user_named("edu_deputy"), approve=True)
    request.refresh_from_db()
    assert local_date(request.due_at) == date(2024, 11, 27)
    assert request.extension_days == 20 and request.deadline_version == 2
    assert request.deadlines.last().note == "需调取档案"


def test_extension_beyond_twenty_days_refused_and_nothing_stored(clock, assigned, user_named):
    clock.on(date(2024, 9, 27))
    request = assigned()
    first = services.request_extension(
        request=request, by=user_named("edu_liaison"), working_days=15, reason="调档"
    )
    services.decide_extension(extension=first, by=user_named("edu_deputy"), approve=True)
    with pytest.raises(ValidationError) as refused:
        services.request_extension(
            request=request, by=user_named("edu_liaison"), working_days=6, reason="再延"
        )
    assert "20" in refused.value.messages[0] and "5" in refused.value.messages[0]
    assert request.extensions.count() == 1
    request.refresh_from_db()
    assert request.extension_days == 15 and request.deadline_version == 2


def test_only_the_office_head_approves_an_extension(clock, assigned, user_named):
    from django.core.exceptions import PermissionDenied

    clock.on(date(2024, 9, 27))
    request = assigned()
    extension = services.request_extension(
        request=request, by=user_named("edu_liaison"), working_days=5, reason="调档"
    )
    for outsider in ("edu_head", "fin_deputy"):
        with pytest.raises(PermissionDenied):
            services.decide_extension(extension=extension, by=user_named(outsider), approve=True)
    extension.refresh_from_db()
    assert extension.status == RequestExtension.Status.PENDING


def test_clarification_restarts_the_period_from_its_receipt(clock, assigned, user_named):
    clock.on(date(2024, 9, 27))
    request = assigned()
    clock.on(date(2024, 9, 30))
    services.request_clarification(
        request=request, by=user_named("edu_liaison"), question="请说明文件的年份", working_days=10
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.CLARIFICATION and request.next_alert_at is None
    # Clarified on Tuesday 15 October 2024: 20 working days from then is 12 November.
    clock.on(date(2024, 10, 15))
    services.supply_clarification(request=request, text="2024年的调整方案")
    request.refresh_from_db()
    assert request.period_start == date(2024, 10, 15)
    assert local_date(request.due_at) == date(2024, 11, 12)
    assert request.deadlines.last().reason == RequestDeadline.Reason.CLARIFIED


def test_clarification_asked_too_late_is_refused(clock, assigned, user_named):
    clock.on(date(2024, 9, 27))
    request = assigned()
    clock.on(date(2024, 10, 18))  # 8 working days after receipt
    with pytest.raises(ValidationError, match="7"):
        services.request_clarification(
            request=request, by=user_named("edu_liaison"), question="请说明"
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED and request.clarification_due_at is None


def test_unclarified_request_is_treated_as_withdrawn_by_the_beat_task(
    clock, assigned, user_named, mailoutbox, django_capture_on_commit_callbacks
):
    clock.on(date(2024, 9, 27))
    request = assigned()
    services.request_clarification(
        request=request, by=user_named("edu_liaison"), question="请说明", working_days=5
    )
    request.refresh_from_db()
    assert local_date(request.clarification_due_at) == date(2024, 10, 10)
    clock.on(date(2024, 10, 10), hour=23)
    assert tasks.withdraw_unclarified_requests() == 0
    clock.on(date(2024, 10, 11))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.withdraw_unclarified_requests() == 1
    assert tasks.withdraw_unclarified_requests() == 0
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN and request.concluded_at is not None
    to_applicant = [m for m in mailoutbox if m.to == ["wangxm@example.com"]]
    assert len(to_applicant) == 1 and "2024-10-10" in to_applicant[0].body


def test_third_party_consultation_is_not_counted(clock, assigned, user_named):
    clock.on(date(2024, 9, 27))
    request = assigned()
    liaison = user_named("edu_liaison")
    clock.on(date(2024, 10, 8))
    services.start_consultation(request=request, by=liaison, third_party="某建设公司")
    request.refresh_from_db()
    assert request.status == RequestStatus.CONSULTING and request.next_alert_at is None
    clock.on(date(2024, 10, 15))  # 9, 10, 11, 12 (调休), 14, 15: six working days
    services.end_consultation(request=request, by=liaison, opinion="不同意公开其报价")
    request.refresh_from_db()
    assert request.paused_days == 6
    # 30 October + 6 working days = 7 November.
    assert local_date(request.due_at) == date(2024, 11, 7)
    assert request.consultations.get().working_days == 6


def test_unknown_year_is_provisional(clock, assigned):
    clock.on(date(2026, 12, 10))
    request = assigned()
    # 2027's arrangement is not published: weekends and 元旦 off, due Friday 8 January 2027.
    assert local_date(request.due_at) == date(2027, 1, 8)
    assert request.due_provisional
    assert request.deadlines.get().provisional


def test_reminder_and_escalation_go_out_once(clock, assigned):
    clock.on(date(2024, 9, 27))
    request = assigned()
    clock.on(date(2024, 10, 25))  # three working days before 30 October
    assert tasks.alert_request_deadlines() == 1
    assert tasks.alert_request_deadlines() == 0
    clock.on(date(2024, 10, 31))
    assert tasks.alert_request_deadlines() == 1
    assert tasks.alert_request_deadlines() == 0
    kinds = sorted(request.alerts.values_list("kind", flat=True))
    assert kinds == [RequestAlert.Kind.OVERDUE, RequestAlert.Kind.REMINDER]
    overdue = request.alerts.get(kind=RequestAlert.Kind.OVERDUE)
    assert "edu_deputy" in overdue.recipients and "dispatcher" in overdue.recipients


@pytest.mark.parametrize(
    ("channel", "submitted", "confirmed", "received", "due"),
    [
        # Handed in on Friday 27 September 2024: that day is receipt.
        ("in_person", date(2024, 9, 27), None, date(2024, 9, 27), date(2024, 10, 30)),
        # Posted on the 26th, signed for on Monday 30 September.
        ("post_signed", date(2024, 9, 26), date(2024, 9, 30), date(2024, 9, 30), date(2024, 11, 1)),
        # An ordinary letter or a fax counts from the day receipt was confirmed.
        (
            "post_unsigned",
            date(2024, 9, 25),
            date(2024, 10, 8),
            date(2024, 10, 8),
            date(2024, 11, 4),
        ),
        ("fax", date(2024, 10, 8), date(2024, 10, 8), date(2024, 10, 8), date(2024, 11, 4)),
    ],
)
def test_receipt_is_counted_per_channel(
    clock, demo, user_named, unit_named, channel, submitted, confirmed, received, due
):
    clock.on(date(2024, 10, 9))
    request, password = services.register_request(
        site=demo,
        by=user_named("dispatcher"),
        channel=channel,
        submitted_on=submitted,
        confirmed_on=confirmed,
        applicant_type="person",
        name="周七",
        id_type="id_card",
        id_number="11010519491231002X",
        phone="13500001111",
        description="示例区2024年防汛应急预案",
        delivery_form="paper",
        address="示例区人民路2号",
        unit=unit_named("区教育局"),
    )
    assert local_date(request.received_at) == received
    assert local_date(request.due_at) == due and len(password) == 8
    assert request.status == RequestStatus.ASSIGNED and request.channel == channel


def test_posted_request_without_its_receipt_day_is_refused(clock, demo, user_named):
    clock.on(date(2024, 10, 9))
    before = DisclosureRequest.objects.count()
    with pytest.raises(ValidationError, match="31|三十一"):
        services.register_request(
            site=demo,
            by=user_named("dispatcher"),
            channel="post_signed",
            submitted_on=date(2024, 10, 8),
            applicant_type="person",
            name="周七",
            id_type="id_card",
            id_number="11010519491231002X",
            phone="13500001111",
            description="示例区2024年防汛应急预案",
            delivery_form="on_site",
        )
    assert DisclosureRequest.objects.count() == before
