"""中国工作日历 — counting working days on China's calendar, the operator's overrides first.

Weekends and statutory holidays are off and the adjusted weekend workdays (调休) are
working days, as the `chinesecalendar` package records them from the State Council's
yearly notices. A WorkingDayOverride entered in the admin wins over the package. For a
year the package does not cover (it knows 2004 to 2026 today; every January breaks sites
that trust it blindly) the calendar answers only once the operator has entered that year's
arrangement and confirmed it (CalendarYear); otherwise it says so instead of guessing.

Counting convention: the day of receipt is day 0 and is never counted, even when it is a
working day; a message due in n working days is due at the end of the n-th working day
after it. So a message received on Monday 2024-09-30 with 7 working days is due at the end
of Tuesday 2024-10-15 (1–7 October off; 8, 9, 10, 11 October, Saturday 12 October 调休,
14 and 15 October are the seven working days).
"""

from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

ONE_DAY = timedelta(days=1)


class UnknownCalendarYear(ValidationError):
    """Neither the package nor the operator knows a year's holidays."""

    def __init__(self, year):
        self.year = year
        super().__init__(
            _(
                "The holiday arrangement of %(year)s is not known yet, so working days cannot be "
                "counted. The platform operator must enter that year's holidays and adjusted "
                "workdays under “Working-day overrides” and confirm the year, or upgrade the "
                "chinesecalendar package."
            )
            % {"year": year},
            code="unknown_calendar_year",
        )


def package_covers(year):
    """Whether the installed chinesecalendar knows the holidays of year."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkingCalendar:
    """The calendar with the operator's overrides loaded once; reuse it within a request or a
    task run instead of asking the database per day."""

    def __init__(self, overrides=None, confirmed_years=()):
        self.overrides = dict(overrides or {})
        self.confirmed_years = frozenset(confirmed_years)

    @classmethod
    def load(cls):
        from .models import CalendarYear, WorkingDayOverride

        return cls(
            overrides=WorkingDayOverride.objects.values_list("day", "is_working"),
            confirmed_years=CalendarYear.objects.values_list("year", flat=True),
        )

    def knows_year(self, year):
        return year in self.confirmed_years or package_covers(year)

    def is_working_day(self, day):
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year in self.confirmed_years:
                return day.weekday() < 5
            raise UnknownCalendarYear(day.year) from None

    def add_working_days(self, start, n):
        """The date of the n-th working day after start (start itself is day 0); a negative n
        counts back, so add_working_days(due, -1) is the working day before due."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        day, counted = start, 0
        while counted < abs(n):
            day += step
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start, end):
        """The working days in (start, end]: 0 on the same day, negative when end is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def add_working_days(start, n):
    """The date of the n-th working day after start, with the operator's overrides."""
    return WorkingCalendar.load().add_working_days(start, n)


def working_days_between(start, end):
    """The working days after start up to and including end, with the operator's overrides."""
    return WorkingCalendar.load().working_days_between(start, end)


def local_date(moment):
    """The calendar date of an aware datetime in the site's time zone (Asia/Shanghai)."""
    return timezone.localtime(moment).date()


def start_of_day(day):
    """The first instant of day in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day):
    """The last instant of day in the site's time zone: what "due on day" means."""
    return timezone.make_aware(datetime.combine(day, time.max))
