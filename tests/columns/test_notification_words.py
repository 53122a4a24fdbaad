"""Notifications name their kind in words, not by the internal code."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from columns.notifications import notify

pytestmark = pytest.mark.django_db


def test_notification_list_names_the_kind_in_words(login_as, user_named):
    notify([user_named("edu_head")], kind="review_waiting", title="《测试》等待您审核")
    html = login_as("edu_head").get("/admin/columns/notification/").content.decode()
    with translation.override("zh-hans"):
        label = gettext("Waiting for your review")
    assert f'<td class="field-kind_in_words">{label}</td>' in html
    assert ">review_waiting<" not in html
