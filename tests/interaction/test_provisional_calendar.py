"""A year nobody has published the holidays of yet: the mailbox still takes every message,
counts its deadline on the statutory holidays (provisional, marked so), and counts it again
when the arrangement arrives — from the operator or from a package upgrade — with the change
recorded and the unit and citizen told."""

from datetime import date

import chinese_calendar
import pytest
from django.core import mail

from columns.models import Notification
from interaction import services, tasks
from interaction.models import CalendarYear, DeadlineChange, Message, WorkingDayOverride
from interaction.working_days import WorkingCalendar, local_date, statutory_days_off

from .test_public import sign_in_to_track
from .test_submission import URL, form_data

pytestmark = pytest.mark.django_db

#: What a notice for 2027 could say, as the operator enters it: New Year's Day, 4 January
#: bridged, Saturday 9 January worked instead.
NOTICE_2027 = {date(2027, 1, 1): False, date(2027, 1, 4): False, date(2027, 1, 9): True}


def test_statutory_holidays_of_known_years_are_holidays_in_the_official_arrangement():
    # The rules (without 调休) against what the State Council published for 2025 and 2026:
    # every day the rules give off was off, 补假 included.
    for year in (2025, 2026):
        official_off = [day for day in statutory_days_off(year) if chinese_calendar.is_workday(day)]
        assert official_off == [], year
    # 2026: 清明 Sun 5 Apr → 补假 Mon 6 Apr; 劳动节 Sat 2 May → Mon 4 May.
    assert {date(2026, 4, 6), date(2026, 5, 4)} <= statutory_days_off(2026)


def test_statutory_holidays_of_2027_from_the_rules_and_the_lunar_calendar():
    assert sorted(statutory_days_off(2027)) == [
        date(2027, 1, 1),  # 元旦, Friday
        # 春节: 除夕 Fri 5 Feb to 初三 Mon 8 Feb; Sat 6 and Sun 7 made up on 9 and 10 Feb.
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
        date(2027, 2, 9),
        date(2027, 2, 10),
        date(2027, 4, 5),  # 清明 (solar term), Monday
        # 劳动节 Sat 1 and Sun 2 May, made up on Mon 3 and Tue 4 May.
        date(2027, 5, 1),
        date(2027, 5, 2),
        date(2027, 5, 3),
        date(2027, 5, 4),
        date(2027, 6, 9),  # 端午, 5th of the 5th lunar month
        date(2027, 9, 15),  # 中秋, 15th of the 8th lunar month
        # 国庆节 Fri 1 to Sun 3 Oct; Sat 2 and Sun 3 made up on Mon 4 and Tue 5 Oct.
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
        date(2027, 10, 4),
        date(2027, 10, 5),
    ]


def test_a_message_in_late_december_is_taken_with_a_provisional_due_date(clock, client, demo):
    clock.on(date(2026, 12, 28))
    response = client.post(URL, form_data(kind="complaint", subject="供暖不足投诉"))
    assert response.status_code == 302, response.content.decode()[:1500]
    message = Message.objects.get(subject="供暖不足投诉")
    # 15 working days: 29, 30, 31 Dec (3); 1 Jan 元旦 off; 4–8 Jan (8), 11–15 Jan (13),
    # 18 (14), 19 Jan (15).
    assert local_date(message.due_at) == date(2027, 1, 19)
    assert message.due_provisional
    assert message.deadlines.get().provisional


def test_provisional_due_date_is_marked_for_staff_and_citizen(clock, submit, login_as, client):
    clock.on(date(2026, 12, 28))
    message, password = submit(kind="consultation")
    dispatcher = login_as("dispatcher")
    page = dispatcher.get(f"/admin/interaction/message/{message.pk}/change/").content.decode()
    assert "2027-01-07" in page and "（暂定）" in page
    listing = dispatcher.get("/admin/interaction/message/").content.decode()
    assert "2027-01-07（暂定）" in listing
    sign_in_to_track(client, message, password)
    status = client.get("/interaction/messages/track/status/").content.decode()
    assert "2027-01-07" in status and "（暂定）" in status


def test_operator_confirming_the_year_recounts_open_deadlines(
    clock, submit, login_as, user_named, unit_named, client, django_capture_on_commit_callbacks
):
    clock.on(date(2026, 12, 28))
    consultation, password = submit(kind="consultation", subject="咨询寒假安排")  # due 7 Jan
    complaint, _pw = submit(kind="complaint", subject="投诉供暖")  # due 19 Jan
    services.route(message=consultation, by=user_named("dispatcher"), unit=unit_named("区教育局"))
    mail.outbox.clear()
    for day, working in NOTICE_2027.items():
        WorkingDayOverride.objects.create(day=day, is_working=working, reason="国办发明电")
    # Entered but not confirmed: still provisional, nothing recounted yet.
    assert services.confirm_deadlines() == 0
    consultation.refresh_from_db()
    assert consultation.due_provisional and consultation.deadline_version == 1

    operator = login_as("operator")
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            "/admin/interaction/calendaryear/add/",
            {"year": "2027", "notice": "国办发明电〔2026〕X号"},
            follow=True,
        )
    assert response.status_code == 200
    assert "1 条未办结留言已按此安排重新计算答复期限" in response.content.decode()

    consultation.refresh_from_db()
    # 29–31 Dec (3); 1 and 4 Jan off; 5, 6, 7 (6), 8 Jan (7).
    assert local_date(consultation.due_at) == date(2027, 1, 8)
    assert not consultation.due_provisional and consultation.deadline_version == 2
    change = consultation.deadlines.get(version=2)
    assert change.reason == DeadlineChange.Reason.CALENDAR and not change.provisional
    assert change.changed_by.username == "operator"
    event = consultation.events.get(action="recount_deadline")
    assert event.detail == {"from": "2027-01-07", "to": "2027-01-08"}
    told = Notification.objects.filter(kind="message_deadline_recounted")
    assert {n.recipient.username for n in told} == {"edu_liaison"}
    assert "2027-01-08" in told.get().title
    to_citizen = [m for m in mail.outbox if m.to == ["zhangsan@example.com"]]
    assert len(to_citizen) == 1 and "2027-01-08" in to_citizen[0].body
    # The citizen's tracking page shows the new date, no longer provisional.
    sign_in_to_track(client, consultation, password)
    status = client.get("/interaction/messages/track/status/").content.decode()
    assert "2027-01-08" in status and "2027-01-07" not in status and "（暂定）" not in status

    # The complaint's date does not move (4 Jan off, 9 Jan worked): no new version, no mail.
    complaint.refresh_from_db()
    assert local_date(complaint.due_at) == date(2027, 1, 19)
    assert not complaint.due_provisional and complaint.deadline_version == 1


def test_a_package_upgrade_recounts_through_the_daily_task(clock, submit, monkeypatch):
    clock.on(date(2026, 12, 28))
    message, _pw = submit(kind="consultation")
    assert message.due_provisional and local_date(message.due_at) == date(2027, 1, 7)

    known = chinese_calendar.is_workday

    def upgraded(day):  # a chinesecalendar release that knows the 2027 notice
        if day.year == 2027:
            return NOTICE_2027.get(day, day.weekday() < 5)
        return known(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", upgraded)
    assert tasks.check_calendar_coverage.apply().get() == "ok"
    message.refresh_from_db()
    assert local_date(message.due_at) == date(2027, 1, 8)
    assert not message.due_provisional
    assert message.deadlines.last().reason == DeadlineChange.Reason.CALENDAR
    # Run twice (a redelivered task): nothing more changes.
    tasks.check_calendar_coverage.apply()
    assert message.deadlines.count() == 2


def test_counting_over_a_provisional_year_says_so():
    calendar = WorkingCalendar.load()
    assert not calendar.is_provisional(date(2026, 1, 5), date(2026, 12, 31))
    assert calendar.is_provisional(date(2026, 12, 28), date(2027, 1, 7))
    CalendarYear.objects.create(year=2027, notice="国办发明电")
    assert not WorkingCalendar.load().is_provisional(date(2026, 12, 28), date(2027, 1, 7))
