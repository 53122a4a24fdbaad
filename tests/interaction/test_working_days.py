"""The working-day calendar across real holidays with 调休, the operator's overrides, unknown
years, and the health check with its operator alert."""

from datetime import date

import pytest

from columns.models import Notification
from interaction import services
from interaction.models import CalendarYear, WorkingDayOverride
from interaction.working_days import (
    WorkingCalendar,
    add_working_days,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def test_national_day_2024_seven_working_days_after_monday_30_september():
    # 国务院办公厅关于2024年部分节假日安排的通知: 10月1日至7日放假调休, 9月29日(星期日)、
    # 10月12日(星期六)上班. Received Mon 30 Sep = day 0. Working days after it: Tue 8 Oct (1),
    # Wed 9 (2), Thu 10 (3), Fri 11 (4), Sat 12 调休 (5), [Sun 13 off], Mon 14 (6), Tue 15 (7).
    assert add_working_days(date(2024, 9, 30), 7) == date(2024, 10, 15)


def test_national_day_2024_weekend_workday_before_the_holiday_counts():
    # Received Fri 27 Sep: Sun 29 Sep 调休 (1), Mon 30 Sep (2), then 8 Oct (3).
    assert add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8)


def test_spring_festival_2024():
    # 2024年春节: 2月10日至17日放假调休, 2月4日(星期日)、2月18日(星期日)上班.
    # Received Thu 8 Feb: Fri 9 Feb (1), Sun 18 Feb 调休 (2), Mon 19 Feb (3).
    assert add_working_days(date(2024, 2, 8), 3) == date(2024, 2, 19)
    # Received Sat 3 Feb: Sun 4 Feb is a working day (1).
    assert add_working_days(date(2024, 2, 3), 1) == date(2024, 2, 4)


def test_spring_festival_2025():
    # 2025年春节: 1月28日至2月4日放假调休, 1月26日(星期日)、2月8日(星期六)上班.
    # Received Fri 24 Jan: Sun 26 (1), Mon 27 (2), Wed 5 Feb (3), Thu 6 (4), Fri 7 (5),
    # Sat 8 调休 (6), Mon 10 (7).
    assert add_working_days(date(2025, 1, 24), 7) == date(2025, 2, 10)


def test_day_of_receipt_is_day_zero_even_on_a_working_day():
    assert add_working_days(date(2024, 10, 8), 0) == date(2024, 10, 8)
    assert add_working_days(date(2024, 10, 8), 1) == date(2024, 10, 9)
    # Received during the holiday: the first working day after it is day 1.
    assert add_working_days(date(2024, 10, 3), 1) == date(2024, 10, 8)


def test_working_days_between_counts_the_days_after_the_first_up_to_the_second():
    assert working_days_between(date(2024, 9, 30), date(2024, 10, 15)) == 7
    assert working_days_between(date(2024, 10, 15), date(2024, 9, 30)) == -7
    assert working_days_between(date(2024, 10, 8), date(2024, 10, 8)) == 0
    assert working_days_between(date(2024, 10, 1), date(2024, 10, 7)) == 0


def test_counting_back_finds_the_previous_working_day():
    assert add_working_days(date(2024, 10, 8), -1) == date(2024, 9, 30)


def test_operator_override_in_the_admin_changes_the_due_date(demo, login_as):
    before = add_working_days(date(2024, 9, 30), 7)
    response = login_as("operator").post(
        "/admin/interaction/workingdayoverride/add/",
        {"day": "2024-10-14", "is_working": "", "reason": "本地防汛停工"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert before == date(2024, 10, 15)
    assert add_working_days(date(2024, 9, 30), 7) == date(2024, 10, 16)
    assert WorkingDayOverride.objects.get(day=date(2024, 10, 14)).created_by.username == "operator"


def test_an_override_can_make_a_holiday_a_working_day():
    WorkingDayOverride.objects.create(day=date(2024, 10, 7), is_working=True, reason="补班")
    assert add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 7)


def test_a_liaison_cannot_edit_the_calendar(login_as):
    response = login_as("edu_liaison").post(
        "/admin/interaction/workingdayoverride/add/",
        {"day": "2024-10-14", "is_working": "", "reason": "x"},
    )
    assert response.status_code == 403
    assert not WorkingDayOverride.objects.exists()


def test_a_year_nobody_knows_is_counted_on_its_statutory_holidays():
    # 2027 is not in the package: Thu 31 Dec 2026 (package) → Fri 1 Jan 2027 元旦 → Mon 4 Jan.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # 春节 2027: 除夕 5 Feb to 初三 8 Feb, the weekend made up on 9 and 10 Feb.
    assert add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 11)


def test_a_year_the_operator_confirmed_uses_weekends_and_the_entered_holidays():
    CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕X号")
    WorkingDayOverride.objects.create(day=date(2027, 1, 1), is_working=False, reason="元旦")
    # Thu 31 Dec 2026 (package) → Fri 1 Jan 2027 off (override) → Mon 4 Jan (1).
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert WorkingCalendar.load().working_days_between(date(2027, 1, 1), date(2027, 1, 8)) == 5


def test_calendar_health_warns_operators_once_from_1_november_when_next_year_is_missing():
    assert services.calendar_health(date(2026, 10, 31))["status"] == "ok"
    services.check_calendar_coverage(date(2026, 10, 31))
    assert not Notification.objects.filter(kind="calendar_missing_year").exists()

    health = services.check_calendar_coverage(date(2026, 11, 1))
    services.check_calendar_coverage(date(2026, 11, 2))
    assert health == {"status": "warning", "years": {2026: "package", 2027: "provisional"}}
    alerts = Notification.objects.filter(kind="calendar_missing_year")
    assert [a.recipient.username for a in alerts] == ["operator"]
    assert "2027" in alerts[0].title

    CalendarYear.objects.create(year=2027, notice="国办发明电")
    assert services.calendar_health(date(2026, 11, 3))["years"][2027] == "operator"
    assert services.calendar_health(date(2026, 11, 3))["status"] == "ok"


def test_calendar_health_is_an_error_when_this_year_is_unknown():
    assert services.calendar_health(date(2027, 2, 1))["status"] == "error"


def test_calendar_health_page(client, demo):
    response = client.get("/interaction/calendar-health/")
    assert response.status_code == 200
    assert response.json()["years"]["2026"] == "package"
