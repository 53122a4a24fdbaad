"""办事事项 under attack (issue 15, item 9): a liaison cannot put a service item, or a change to
a published one, on the public site without a leader of the unit approving it, and every
change — creation, edit, materials, approval, withdrawal, deletion — is in the operation log.
"""

import pytest
from django.test import Client

from columns.models import OperationLog
from publishing.models import ServiceItem

from ..conftest import DEMO_HOST
from .reporting import print_summary

pytestmark = pytest.mark.django_db

RESULTS = {}
LIST = "/admin/publishing/serviceitem/"


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        failed = {k: v for k, v in RESULTS.items() if v != "refused"}
        print_summary(
            request,
            f"security service items: {len(RESULTS)} attempts to publish unreviewed, "
            f"{len(RESULTS) - len(failed)} refused, {len(failed)} failed",
        )


def item_form(item=None, **overrides):
    unit = item.unit if item else None
    data = {
        "site": item.site_id if item else "",
        "unit": unit.pk if unit else "",
        "name": item.name if item else "",
        "code": "",
        "kind": "other",
        "summary": "",
        "legal_basis": "《条例》",
        "conditions": "无",
        "procedure": "申请\n受理",
        "time_limit": "5个工作日",
        "fees": "不收费",
        "office": "区政务服务中心",
        "office_hours": "",
        "contact": "0851-1",
        "online_url": "",
        "position": 0,
        "materials-TOTAL_FORMS": 0,
        "materials-INITIAL_FORMS": 0,
        "documents-TOTAL_FORMS": 0,
        "documents-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def public_page(item):
    return Client(HTTP_HOST=DEMO_HOST).get(f"/services/{item.pk}/")


def on_site(item):
    return public_page(item).status_code == 200


def logged(item, action):
    return OperationLog.objects.filter(
        action=action, target_type="publishing.ServiceItem", target_id=str(item.pk)
    )


def test_a_liaisons_new_item_waits_for_the_unit_leader(demo, login_as):
    liaison = login_as("edu_liaison")
    published = ServiceItem.objects.filter(unit__name="区教育局", is_published=True).first()
    response = liaison.post(
        f"{LIST}add/",
        item_form(published, name="未经审核的事项", is_published="on"),
    )
    assert response.status_code == 302
    item = ServiceItem.objects.get(name="未经审核的事项")
    refused = not item.is_published and not on_site(item)
    RESULTS["liaison ticks 'published' on a new item"] = "refused" if refused else "FAILED"
    assert refused
    assert logged(item, "service_item_created").filter(actor__username="edu_liaison").exists()

    # The liaison cannot approve their own item; another unit's head cannot either.
    for who in ("edu_liaison", "fin_head"):
        login_as(who).post(LIST, {"action": "approve_and_publish", "_selected_action": [item.pk]})
        item.refresh_from_db()
        RESULTS[f"{who} approves"] = "refused" if not item.is_published else "FAILED"
        assert not item.is_published
    assert not logged(item, "service_item_published").exists()

    login_as("edu_head").post(
        LIST, {"action": "approve_and_publish", "_selected_action": [item.pk]}
    )
    item.refresh_from_db()
    assert item.is_published and on_site(item)
    assert logged(item, "service_item_published").filter(actor__username="edu_head").exists()


def test_a_liaisons_edit_of_a_published_item_goes_back_for_approval(demo, login_as):
    item = ServiceItem.objects.filter(unit__name="区教育局", is_published=True).first()
    liaison = login_as("edu_liaison")
    response = liaison.post(
        f"{LIST}{item.pk}/change/", item_form(item, fees="每件收费1000元", is_published="on")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    refused = not item.is_published and "1000" not in public_page(item).content.decode()
    RESULTS["liaison edits a published item"] = "refused" if refused else "FAILED"
    assert refused
    entry = logged(item, "service_item_changed").get(actor__username="edu_liaison")
    assert "fees" in entry.detail["fields"] and entry.detail["withdrawn_for_approval"]


def test_withdrawal_and_deletion_are_logged(demo, login_as):
    item = ServiceItem.objects.filter(unit__name="区教育局", is_published=True).first()
    liaison = login_as("edu_liaison")
    liaison.post(LIST, {"action": "withdraw", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert not item.is_published
    assert logged(item, "service_item_withdrawn").exists()
    pk = item.pk
    response = liaison.post(f"{LIST}{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ServiceItem.objects.filter(pk=pk).exists()
    assert OperationLog.objects.filter(action="service_item_deleted", target_id=str(pk)).exists()
