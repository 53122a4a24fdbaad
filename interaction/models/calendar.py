"""工作日历 — the operator's corrections to China's working-day calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingDayOverride(models.Model):
    """工作日调整 — one day the operator marks as working or off; it wins over the package.

    Used for a year the chinesecalendar package does not know yet (enter the State
    Council's holiday notice here), for a local holiday, or to correct the package.
    """

    day = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a working day (e.g. an adjusted weekend workday); empty: a day off."),
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["-day"]

    def __str__(self):
        kind = _("working day") if self.is_working else _("day off")
        return f"{self.day:%Y-%m-%d} {kind}"


class CalendarYear(models.Model):
    """年度放假安排 — the operator confirms a year's arrangement is entered as overrides.

    For a year the package does not cover, the calendar answers only once this row
    exists: weekends off, weekdays working, and the overrides entered for that year.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice = models.CharField(
        _("holiday notice"),
        max_length=200,
        help_text=_("The State Council notice the overrides of this year were entered from."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("holiday arrangement of a year")
        verbose_name_plural = _("holiday arrangements of years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
