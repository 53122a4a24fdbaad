"""日常巡检 through the admin, and the operation log's retention purge."""

from datetime import timedelta

import pytest
from django.utils import timezone

from columns.audit import record
from columns.models import OperationLog
from monitoring import tasks
from monitoring.models import PatrolRecord

pytestmark = pytest.mark.django_db

ADD = "/admin/monitoring/patrolrecord/add/"


def patrol_form(site, **fields):
    data = {
        "site": site.pk,
        "day": timezone.localdate().isoformat(),
        "site_running": "on",
        "links_usable": "on",
        "columns_updated": "on",
        "content_correct": "on",
        "problems_found": "",
        "corrections": "",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_duty_officer_records_the_days_patrol(demo, login_as, user_named):
    PatrolRecord.objects.filter(site=demo, day=timezone.localdate()).delete()
    response = login_as("operator").post(
        ADD,
        patrol_form(
            demo,
            links_usable=None,
            problems_found="首页一处链接失效。",
            corrections="已更换链接。",
        ),
    )
    assert response.status_code == 302
    patrol = PatrolRecord.objects.get(site=demo, day=timezone.localdate())
    assert patrol.duty_officer == user_named("operator")
    assert not patrol.links_usable and patrol.corrections == "已更换链接。"
    assert OperationLog.objects.filter(action="patrol_recorded", target_id=str(patrol.pk)).exists()


def test_a_failed_check_without_problems_is_refused_and_nothing_saved(demo, login_as):
    PatrolRecord.objects.filter(site=demo, day=timezone.localdate()).delete()
    response = login_as("operator").post(ADD, patrol_form(demo, site_running=None))
    assert response.status_code == 200
    assert "有检查项未通过，请填写发现的问题。" in response.content.decode()
    assert not PatrolRecord.objects.filter(site=demo, day=timezone.localdate()).exists()


def test_the_same_day_twice_and_a_future_day_are_refused(demo, login_as):
    PatrolRecord.objects.filter(site=demo, day=timezone.localdate()).delete()
    operator = login_as("operator")
    assert operator.post(ADD, patrol_form(demo)).status_code == 302
    again = operator.post(ADD, patrol_form(demo))
    assert "该网站当天的巡检记录已存在" in again.content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = operator.post(ADD, patrol_form(demo, day=tomorrow))
    assert "不能为尚未到来的日期填写巡检记录。" in future.content.decode()
    assert PatrolRecord.objects.filter(site=demo, day__gte=timezone.localdate()).count() == 1


def test_a_liaison_cannot_record_a_patrol(demo, login_as):
    count = PatrolRecord.objects.count()
    assert login_as("edu_liaison").post(ADD, patrol_form(demo)).status_code == 403
    assert PatrolRecord.objects.count() == count


def test_operation_log_is_kept_180_days_and_purged_after(demo, settings):
    now = timezone.now()
    old = record("login", detail={"case": "old"})
    kept = record("login", detail={"case": "kept"})
    OperationLog.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=181))
    OperationLog.objects.filter(pk=kept.pk).update(created_at=now - timedelta(days=179))

    settings.OPERATION_LOG_RETENTION_DAYS = 30  # a shorter setting cannot go under 180
    deleted = tasks.purge_operation_log.apply().get()

    assert deleted >= 1
    assert not OperationLog.objects.filter(pk=old.pk).exists()
    assert OperationLog.objects.filter(pk=kept.pk).exists()
    purge = OperationLog.objects.get(action="operation_log_purged")
    assert purge.detail["days"] == 180


def test_longer_retention_setting_keeps_more(demo, settings):
    entry = record("login")
    OperationLog.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(days=300))
    settings.OPERATION_LOG_RETENTION_DAYS = 365
    tasks.purge_operation_log.apply().get()
    assert OperationLog.objects.filter(pk=entry.pk).exists()


def test_operation_log_is_read_only_in_the_admin(demo, login_as):
    entry = record("login")
    inspector = login_as("inspector")
    assert inspector.get("/admin/columns/operationlog/").status_code == 200
    delete = inspector.post(f"/admin/columns/operationlog/{entry.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert OperationLog.objects.filter(pk=entry.pk).exists()
