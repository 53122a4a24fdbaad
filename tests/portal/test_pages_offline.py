"""Temporary offline (临时下线) [Q§10] and permanent closure [S三] on the public site."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from columns.models import OfflineWindow, OperationLog, Site
from columns.offline import schedule_offline

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(demo, user_named, django_capture_on_commit_callbacks):
    def run(start_in_days, days, by="operator", reason="机房搬迁"):
        start = timezone.now() + timedelta(days=start_in_days)
        with django_capture_on_commit_callbacks(execute=True):
            return schedule_offline(
                site=demo,
                starts_at=start,
                ends_at=start + timedelta(days=days),
                reason=reason,
                by=user_named(by),
            )

    return run


def test_operator_schedules_a_window_and_the_notice_appears_at_once(client, schedule):
    client.get("/")  # cached before the window was scheduled
    window = schedule(start_in_days=12, days=3)
    html = client.get("/").content.decode()
    assert "临时下线" in html and "机房搬迁" in html
    assert OperationLog.objects.filter(action="site_offline_scheduled").count() == 1
    assert window.scheduled_at <= timezone.now()


@pytest.mark.parametrize(
    "start_in_days, days, message",
    [
        (5, 2, "至少提前10天"),
        (12, 31, "最长不超过30天"),
        (12, 0, "必须晚于下线时间"),
    ],
)
def test_offline_rules_refuse_with_a_chinese_message_and_change_nothing(
    schedule, start_in_days, days, message
):
    with pytest.raises(ValidationError) as refused:
        schedule(start_in_days=start_in_days, days=days)
    assert message in " ".join(refused.value.messages)
    assert not OfflineWindow.objects.exists()
    assert not OperationLog.objects.filter(action="site_offline_scheduled").exists()


def test_only_one_temporary_offline_per_calendar_year(schedule, demo):
    first = schedule(start_in_days=12, days=2)
    year = timezone.localtime(first.starts_at).year
    later_same_year = timezone.make_aware(timezone.datetime(year, 12, 31, 0, 0))
    if later_same_year <= first.ends_at:
        later_same_year = first.starts_at + timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        schedule_offline(
            site=demo,
            starts_at=later_same_year,
            ends_at=later_same_year + timedelta(hours=6),
            reason="再次维护",
            by=first.scheduled_by,
        )
    assert "每年只允许一次" in " ".join(refused.value.messages)
    assert OfflineWindow.objects.count() == 1


def test_only_the_operator_may_take_a_site_offline(schedule):
    with pytest.raises(PermissionDenied):
        schedule(start_in_days=12, days=2, by="edu_liaison")
    assert not OfflineWindow.objects.exists()


def test_during_the_window_every_page_is_the_maintenance_page_even_if_cached(
    client, schedule, demo, monkeypatch
):
    window = schedule(start_in_days=12, days=3)
    assert client.get("/columns/news/").status_code == 200
    assert client.get("/columns/news/").headers["X-Page-Cache"] == "hit"
    # The clock reaches the window.
    during = window.starts_at + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: during)
    for url in ("/", "/columns/news/", "/xxgk/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "临时下线维护" in response.content.decode()
        assert int(response["Retry-After"]) > 0
    assert client.get("/healthz").status_code in (200, 503)  # not the maintenance page
    assert client.get("/admin/login/").status_code == 200
    # After the window the site is back, and the notice is gone.
    monkeypatch.setattr(timezone, "now", lambda: window.ends_at + timedelta(minutes=1))
    response = client.get("/columns/news/")
    assert response.status_code == 200
    assert "机房搬迁" not in response.content.decode()


def test_a_permanently_closed_site_shows_its_closing_notice(
    client, demo, django_capture_on_commit_callbacks
):
    client.get("/")
    demo.status = Site.Status.CLOSED
    demo.closing_notice = "本网站已于2026年12月关停，相关内容已整合至区政府门户网站。"
    demo.moved_to = "https://www.example.gov.cn/"
    with django_capture_on_commit_callbacks(execute=True):
        demo.save()
    response = client.get("/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "本网站已关停" in html and "https://www.example.gov.cn/" in html
    assert client.get("/columns/news/").status_code == 410


def test_operator_schedules_through_the_admin_and_a_broken_rule_shows_on_the_form(login_as, demo):
    operator = login_as("operator")
    start = timezone.localtime() + timedelta(days=3)
    form = {
        "site": demo.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "08:00:00",
        "ends_at_0": (start + timedelta(days=1)).strftime("%Y-%m-%d"),
        "ends_at_1": "08:00:00",
        "reason": "系统升级",
    }
    refused = operator.post("/admin/columns/offlinewindow/add/", form)
    assert refused.status_code == 200
    assert "至少提前10天" in refused.content.decode()
    assert not OfflineWindow.objects.exists()
    start = timezone.localtime() + timedelta(days=15)
    form.update(
        starts_at_0=start.strftime("%Y-%m-%d"),
        ends_at_0=(start + timedelta(days=1)).strftime("%Y-%m-%d"),
    )
    accepted = operator.post("/admin/columns/offlinewindow/add/", form)
    assert accepted.status_code == 302
    window = OfflineWindow.objects.get()
    assert window.scheduled_by.username == "operator" and window.reason == "系统升级"
