"""临时下线 in the admin: a scheduled window can be rescheduled and cancelled by the operator,
and its dates read in the site's time zone."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from columns.models import OfflineWindow, OperationLog
from columns.offline import schedule_offline

pytestmark = pytest.mark.django_db


def local_midnight(days_ahead):
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


@pytest.fixture
def window(demo, user_named, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return schedule_offline(
            site=demo,
            starts_at=local_midnight(12),
            ends_at=local_midnight(14),
            reason="机房搬迁",
            by=user_named("operator"),
        )


def change_url(window):
    return reverse("admin:columns_offlinewindow_change", args=[window.pk])


def form(starts_at, ends_at, reason):
    starts_at, ends_at = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return {
        "starts_at_0": f"{starts_at:%Y-%m-%d}",
        "starts_at_1": f"{starts_at:%H:%M:%S}",
        "ends_at_0": f"{ends_at:%Y-%m-%d}",
        "ends_at_1": f"{ends_at:%H:%M:%S}",
        "reason": reason,
    }


def test_dates_read_in_the_sites_time_zone(window, login_as):
    html = login_as("operator").get(change_url(window)).content.decode()
    start = f"{timezone.localdate() + timedelta(days=12):%Y-%m-%d} 00:00"
    assert start in str(window)
    assert start in html


def test_operator_reschedules_a_window_and_the_notice_follows(
    window, login_as, client, django_capture_on_commit_callbacks
):
    client.get("/")  # the page is cached with the old notice
    with django_capture_on_commit_callbacks(execute=True):
        response = login_as("operator").post(
            change_url(window), form(local_midnight(20), local_midnight(21), "系统升级")
        )
    assert response.status_code == 302
    window.refresh_from_db()
    assert (window.starts_at, window.ends_at, window.reason) == (
        local_midnight(20),
        local_midnight(21),
        "系统升级",
    )
    html = client.get("/").content.decode()
    assert "系统升级" in html and "机房搬迁" not in html
    assert OperationLog.objects.filter(action="site_offline_rescheduled").count() == 1


def test_rescheduling_keeps_the_rules(window, login_as):
    response = login_as("operator").post(
        change_url(window), form(local_midnight(3), local_midnight(4), "系统升级")
    )
    assert response.status_code == 200
    assert "至少提前10天" in response.content.decode()
    window.refresh_from_db()
    assert (window.starts_at, window.reason) == (local_midnight(12), "机房搬迁")


def test_operator_cancels_a_window_and_may_schedule_another(
    window, login_as, client, demo, user_named, django_capture_on_commit_callbacks
):
    assert "机房搬迁" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = login_as("operator").post(
            reverse("admin:columns_offlinewindow_changelist"),
            {"action": "cancel_windows", "_selected_action": [window.pk]},
        )
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.cancelled_at is not None
    assert "机房搬迁" not in client.get("/").content.decode()
    assert OperationLog.objects.filter(action="site_offline_cancelled").count() == 1
    # A cancelled window is not the year's one, and it can no longer be edited.
    page = login_as("operator").get(change_url(window))
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()
    schedule_offline(
        site=demo,
        starts_at=local_midnight(15),
        ends_at=local_midnight(16),
        reason="再次维护",
        by=user_named("operator"),
    )
    assert OfflineWindow.objects.in_force().count() == 1
