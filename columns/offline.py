"""Scheduling a site's temporary offline window (临时下线) under the rules of [Q§10], and
reading whether a site is offline, closed or announcing a window now."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import record
from .models import OfflineWindow, Role, Site
from .selectors import has_role

#: [Q§10]: at most one temporary offline per calendar year, for at most 30 days, with the
#: notice on the site at least 10 days before it starts.
LONGEST_OFFLINE = timedelta(days=30)
NOTICE_AHEAD = timedelta(days=10)


def rule_errors(*, site, starts_at, ends_at, reason, window=None):
    """What breaks the offline rules for this window, as messages; empty when it may go ahead.
    window is the one being rescheduled: it does not count against its own year."""
    now = timezone.now()
    errors = []
    if not (reason or "").strip():
        errors.append(_("Give the reason for taking the site offline."))
    if ends_at <= starts_at:
        errors.append(_("The site must come back online after it goes offline."))
    elif ends_at - starts_at > LONGEST_OFFLINE:
        errors.append(_("A temporary offline may last at most 30 days; shorten the window."))
    if starts_at < now + NOTICE_AHEAD:
        errors.append(
            _(
                "The notice must be on the site at least 10 days before the site goes offline: "
                "choose a start on or after %(date)s."
            )
            % {"date": timezone.localtime(now + NOTICE_AHEAD).strftime("%Y-%m-%d %H:%M")}
        )
    year = timezone.localtime(starts_at).year
    others = OfflineWindow.objects.in_force().filter(site=site, starts_at__year=year)
    if window is not None:
        others = others.exclude(pk=window.pk)
    if others.exists():
        errors.append(
            _("%(site)s already has a temporary offline in %(year)s; only one is allowed a year.")
            % {"site": site, "year": year}
        )
    return errors


def _check_operator(by):
    if not (by.is_superuser or has_role(by, Role.OPERATOR)):
        raise PermissionDenied(_("Only the platform operator may take a site offline."))


@transaction.atomic
def schedule_offline(*, site, starts_at, ends_at, reason, by):
    """临时下线: the operator schedules a window; its notice is published on the site at once."""
    _check_operator(by)
    # The site row lock serialises two operators scheduling for the same site at once.
    site = Site.objects.select_for_update().get(pk=site.pk)
    errors = rule_errors(site=site, starts_at=starts_at, ends_at=ends_at, reason=reason)
    if errors:
        raise ValidationError(errors)
    window = OfflineWindow.objects.create(
        site=site,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        scheduled_by=by,
        scheduled_at=timezone.now(),
    )
    record(
        "site_offline_scheduled",
        actor=by,
        target=site,
        detail={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
    )
    return window


def _window_for_update(window):
    window = OfflineWindow.objects.select_for_update().select_related("site").get(pk=window.pk)
    if window.cancelled_at is not None:
        raise ValidationError(_("This temporary offline has been cancelled."))
    return window


@transaction.atomic
def reschedule_offline(*, window, starts_at, ends_at, reason, by):
    """改期: a window that has not started gets new dates or reason under the same rules; the
    changed notice counts as published now, so the new start is again 10 days ahead."""
    _check_operator(by)
    Site.objects.select_for_update().get(pk=window.site_id)
    window = _window_for_update(window)
    if window.starts_at <= timezone.now():
        raise ValidationError(
            _("The site is already offline in this window; it can only be cancelled.")
        )
    errors = rule_errors(
        site=window.site, starts_at=starts_at, ends_at=ends_at, reason=reason, window=window
    )
    if errors:
        raise ValidationError(errors)
    window.starts_at, window.ends_at, window.reason = starts_at, ends_at, reason.strip()
    window.scheduled_at = timezone.now()
    window.save()
    record(
        "site_offline_rescheduled",
        actor=by,
        target=window.site,
        detail={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
    )
    return window


@transaction.atomic
def cancel_offline(*, window, by):
    """取消临时下线: the notice disappears and the site stays (or comes back) online at once;
    the window is kept as cancelled and no longer counts as the year's one."""
    _check_operator(by)
    window = _window_for_update(window)
    if window.ends_at <= timezone.now():
        raise ValidationError(_("This temporary offline is over; there is nothing to cancel."))
    window.cancelled_at = timezone.now()
    window.save()
    record("site_offline_cancelled", actor=by, target=window.site, detail={"window": window.pk})
    return window


def announced_windows(site, at=None):
    """The windows whose notice is on the site now or whose offline period is running."""
    at = at or timezone.now()
    windows = OfflineWindow.objects.in_force().filter(site=site, ends_at__gt=at)
    return windows.order_by("starts_at")


def window_at(windows, at):
    """The window of windows covering the moment at, or None."""
    return next((w for w in windows if w.starts_at <= at < w.ends_at), None)
