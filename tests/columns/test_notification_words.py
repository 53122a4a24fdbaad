"""Notifications and the operation log name their kind and action in words, not by the
internal code."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from columns.audit import record
from columns.models import OperationLog
from columns.notifications import notify

pytestmark = pytest.mark.django_db


def test_notification_list_names_the_kind_in_words(login_as, user_named):
    notify([user_named("edu_head")], kind="review_waiting", title="《测试》等待您审核")
    html = login_as("edu_head").get("/admin/columns/notification/").content.decode()
    with translation.override("zh-hans"):
        label = gettext("Waiting for your review")
    assert f'<td class="field-kind_in_words">{label}</td>' in html
    assert ">review_waiting<" not in html


def test_operation_log_names_actions_in_words(login_as):
    client = login_as("operator")
    record("site_offline_scheduled", target=None)
    html = client.get("/admin/columns/operationlog/").content.decode()
    with translation.override("zh-hans"):
        scheduled = gettext("Temporary offline scheduled")
    assert f'<td class="field-action_in_words">{scheduled}</td>' in html
    assert f">{scheduled}</a>" in html  # the filter, in words too
    assert ">site_offline_scheduled<" not in html
    entry = OperationLog.objects.get(action="site_offline_scheduled")
    detail = client.get(f"/admin/columns/operationlog/{entry.pk}/change/").content.decode()
    assert scheduled in detail and "site_offline_scheduled" not in detail
