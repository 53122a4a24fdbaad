"""Cells of the staff's lists that keep a row on a 1366 px office screen legible: a long text
cut to its start (whole in its title, shown on hover), dates and moments in their short form.
"""

from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

#: Characters of a title or subject a list shows before cutting it.
LIST_TEXT_LENGTH = 24


def cut(text, length=LIST_TEXT_LENGTH):
    """text as a list cell: its first length characters, the whole of it in the title."""
    text = text or ""
    if len(text) <= length:
        return text
    return format_html('<span title="{}">{}</span>', text, Truncator(text).chars(length))


def short_date(day):
    """2026-11-09 (the list's date, ten characters wide instead of 2026年11月9日)."""
    return day.strftime("%Y-%m-%d") if day else "—"


def short_moment(moment):
    """2026-11-09 14:30 in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"
