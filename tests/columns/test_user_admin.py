"""The user admin speaks the platform's language: roles by their Chinese names, no raw
Django permission list for the operator."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from columns.models import Role

pytestmark = pytest.mark.django_db


def test_operator_sees_roles_in_chinese_and_no_permission_list(login_as, user_named):
    liaison = user_named("edu_liaison")
    client = login_as("operator")
    html = client.get(reverse("admin:auth_user_change", args=[liaison.pk])).content.decode()
    with translation.override("zh-hans"):
        liaison_label, head_label = str(Role.LIAISON.label), str(Role.SECTION_HEAD.label)
    groups = re.search(r'<select name="groups"[^>]*>(.*?)</select>', html, re.S)[1]
    assert re.search(rf"<option [^>]*selected>{liaison_label}</option>", groups)
    assert f">{head_label}</option>" in groups
    assert ">liaison</option>" not in groups
    assert 'name="user_permissions"' not in html and "field-user_permissions" not in html

    changelist = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert f">{liaison_label}</a>" in changelist
    assert ">section_head</a>" not in changelist
    filtered = client.get(reverse("admin:auth_user_changelist") + "?role=liaison")
    assert "edu_liaison" in filtered.content.decode()
    assert "operator</a>" not in filtered.content.decode()
