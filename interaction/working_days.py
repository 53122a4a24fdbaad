"""中国工作日历 — counting working days on China's calendar, the operator's overrides first.

Weekends and statutory holidays are off and the adjusted weekend workdays (调休) are
working days, as the `chinesecalendar` package records them from the State Council's
yearly notices. A WorkingDayOverride entered in the admin wins over the package. A year
the package does not cover yet (each year's notice comes out in the autumn, and the
package follows later) is counted as the operator confirmed it (CalendarYear: weekends and
the entered overrides); failing that, on a provisional calendar: weekends off plus the
statutory holidays computed from 《全国年节及纪念日放假办法》 (2024 revision), without 调休,
which only the notice sets. Due dates counted over a provisional year are marked so, and
are counted again when the year becomes known (interaction.services.confirm_deadlines).
A citizen's message is never refused for an unknown year.

Counting convention: the day of receipt is day 0 and is never counted, even when it is a
working day; a message due in n working days is due at the end of the n-th working day
after it. So a message received on Monday 2024-09-30 with 7 working days is due at the end
of Tuesday 2024-10-15 (1–7 October off; 8, 9, 10, 11 October, Saturday 12 October 调休,
14 and 15 October are the seven working days).
"""

from datetime import date, datetime, time, timedelta
from functools import cache

import chinese_calendar
from borax.calendars.lunardate import LunarDate, TermUtils
from django.utils import timezone

ONE_DAY = timedelta(days=1)


def package_covers(year):
    """Whether the installed chinesecalendar knows the holidays of year."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def statutory_days_off(year):
    """法定节假日 of year with their 补假, by 《全国年节及纪念日放假办法》 as revised in 2024:
    新年 1 January; 春节 4 days, 除夕 to 正月初三; 清明 on its solar term; 劳动节 1–2 May;
    端午 5/5 and 中秋 8/15 of the lunar calendar; 国庆节 1–3 October. A holiday falling on a
    Saturday or Sunday is made up on the next working day (Art. 6); 调休 is not predictable."""
    spring = LunarDate(year, 1, 1).to_solar_date()
    holidays = {
        date(year, 1, 1),
        *(spring + timedelta(days=n) for n in range(-1, 3)),
        TermUtils.nth_term_day(year, term_name="清明"),
        date(year, 5, 1),
        date(year, 5, 2),
        LunarDate(year, 5, 5).to_solar_date(),
        LunarDate(year, 8, 15).to_solar_date(),
        *(date(year, 10, day) for day in (1, 2, 3)),
    }
    off = set(holidays)
    for day in sorted(d for d in holidays if d.weekday() >= 5):
        makeup = day + ONE_DAY
        while makeup.weekday() >= 5 or makeup in off:
            makeup += ONE_DAY
        off.add(makeup)
    return frozenset(off)


class CalendarSource:
    """Where a year's working days come from."""

    PACKAGE = "package"
    OPERATOR = "operator"
    PROVISIONAL = "provisional"


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

    def source(self, year):
        if package_covers(year):
            return CalendarSource.PACKAGE
        if year in self.confirmed_years:
            return CalendarSource.OPERATOR
        return CalendarSource.PROVISIONAL

    def is_provisional(self, start, end):
        """Whether a count over the days from start to end (either order) uses a year that
        is only provisionally known."""
        first, last = sorted((start, end))
        return any(
            self.source(year) == CalendarSource.PROVISIONAL
            for year in range(first.year, last.year + 1)
        )

    def is_working_day(self, day):
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year in self.confirmed_years:
                return day.weekday() < 5
            return day.weekday() < 5 and day not in statutory_days_off(day.year)

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
