"""Working days as monitoring counts them for local rules such as "every 5 working days"."""

from datetime import timedelta

import chinese_calendar


def is_working_day(day):
    """China's calendar (holidays off, 调休 weekends on); Monday to Friday where it has no data."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def working_days_after(start, end):
    """The working days in (start, end]: how many a column has gone without an update."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count
