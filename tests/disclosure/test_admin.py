"""The unit-scoped admin: the holding unit sees its own requests only; the applicant's data show
to the dispatcher and the holding unit's staff, each view logged, masked to everyone else; the
panel's actions go through the services and refusals leave the request unchanged."""

import re
from datetime import date

import pytest
from django.utils.html import escape
from django.utils.translation import gettext as _

from columns.models import OperationLog
from disclosure import services
from disclosure.models import DisclosureRequest, RequestStatus
from interaction.working_days import local_date

from .conftest import ID_NUMBER

pytestmark = pytest.mark.django_db


def change_url(request):
    return f"/admin/disclosure/disclosurerequest/{request.pk}/change/"


def act_url(request, action):
    return f"/admin/disclosure/disclosurerequest/{request.pk}/act/{action}/"


def test_other_unit_cannot_see_the_request(assigned, login_as):
    request = assigned()
    finance = login_as("fin_liaison")
    assert finance.get(change_url(request)).status_code == 404
    listing = finance.get("/admin/disclosure/disclosurerequest/").content.decode()
    assert request.tracking_code not in listing
    assert (
        request.tracking_code
        in login_as("edu_liaison").get("/admin/disclosure/disclosurerequest/").content.decode()
    )


def test_holding_unit_reads_applicant_data_and_the_view_is_logged(assigned, login_as):
    request = assigned()
    page = login_as("edu_liaison").get(change_url(request)).content.decode()
    assert ID_NUMBER in page and "13900002222" in page and 'id="applicant-data"' in page
    log = OperationLog.objects.filter(action="disclosure_applicant_viewed")
    assert log.count() == 1 and log.get().target_id == str(request.pk)


def test_platform_roles_see_the_request_masked_and_nothing_is_logged(assigned, login_as):
    request = assigned()
    page = login_as("inspector").get(change_url(request)).content.decode()
    assert 'id="applicant-masked"' in page and "王*" in page
    for personal in (ID_NUMBER, "13900002222", "王小明", "wangxm@example.com"):
        assert personal not in page
    listing = login_as("inspector").get("/admin/disclosure/disclosurerequest/").content.decode()
    assert request.tracking_code in listing and "王小明" not in listing
    assert not OperationLog.objects.filter(action="disclosure_applicant_viewed").exists()


def test_non_handlers_cannot_search_by_identity_number(assigned, login_as):
    assigned()
    response = login_as("inspector").get(
        "/admin/disclosure/disclosurerequest/", {"id_number__startswith": "1101"}
    )
    assert response.status_code == 400


def test_panel_actions_and_refusals(assigned, login_as):
    request = assigned()
    liaison = login_as("edu_liaison")
    refused = liaison.post(act_url(request, "draft_reply"), {"reply_type": "withheld"}, follow=True)
    assert escape(
        _("A reply that withholds information must give its legal ground; choose one.")
    ) in (refused.content.decode())
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED
    too_long = liaison.post(
        act_url(request, "request_extension"), {"working_days": "21", "reason": "调档"}, follow=True
    )
    limit = _(
        "The reply period may be extended by at most %(max)s working days in all (Art. 33 of "
        "the regulation); %(room)s working days are left for this request."
    ) % {"max": 20, "room": 20}
    assert escape(limit) in too_long.content.decode()
    assert not request.extensions.exists()
    liaison.post(
        act_url(request, "draft_reply"),
        {"reply_type": "partial", "ground": "internal", "body": "附：公开部分"},
    )
    login_as("edu_head").post(act_url(request, "approve_reply"))
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.notice
    download = login_as("edu_head").get(request.notice.url)
    assert download.status_code == 200
    assert login_as("fin_head").get(request.notice.url).status_code == 404


def test_dispatcher_registers_a_paper_request_and_others_cannot(login_as, demo, unit_named):
    url = "/admin/disclosure/disclosurerequest/register/"
    assert login_as("edu_liaison").get(url).status_code == 403
    assert 'name="confirmed_on"' in login_as("dispatcher").get(url).content.decode()
    response = login_as("dispatcher").post(
        url,
        {
            "site": demo.pk,
            "channel": "in_person",
            "submitted_on": "2026-12-01",
            "applicant_type": "person",
            "name": "吴八",
            "id_type": "id_card",
            "id_number": ID_NUMBER,
            "phone": "13500002222",
            "unit": unit_named("区教育局").pk,
            "description": "示例区2026年学校食堂检查结果",
            "delivery_form": "on_site",
        },
    )
    assert response.status_code == 302
    request = DisclosureRequest.objects.get(phone="13500002222")
    assert request.channel == "in_person" and request.status == RequestStatus.ASSIGNED
    assert local_date(request.received_at) == date(2026, 12, 1)


def test_inbox_shows_each_role_its_part(assigned, login_as, user_named):
    drafted = assigned()
    services.draft_reply(request=drafted, by=user_named("edu_liaison"), reply_type="not_held")
    extended = assigned()
    services.request_extension(
        request=extended, by=user_named("edu_liaison"), working_days=5, reason="调档"
    )
    url = "/admin/disclosure/disclosurerequest/inbox/"
    head = login_as("edu_head").get(url).content.decode()
    assert 'id="inbox-to_approve"' in head and drafted.tracking_code in head
    deputy = login_as("edu_deputy").get(url).content.decode()
    assert 'id="inbox-extensions"' in deputy and extended.tracking_code in deputy
    finance = login_as("fin_liaison").get(url).content.decode()
    assert drafted.tracking_code not in finance and extended.tracking_code not in finance


def test_the_handling_record_names_actions_and_states_in_words(assigned, login_as, user_named):
    """办理记录 on the request page: 'Reply drafted', 'Assigned' — not draft_reply, assigned."""
    request = assigned()
    services.draft_reply(request=request, by=user_named("edu_liaison"), reply_type="not_held")
    html = login_as("edu_head").get(change_url(request)).content.decode()

    def cells(field):
        return re.findall(rf'<td class="field-{field}">\s*<p>(.*?)</p>', html)

    received, assigned_, drafted = (
        str(status.label)
        for status in (RequestStatus.RECEIVED, RequestStatus.ASSIGNED, RequestStatus.REPLY_DRAFTED)
    )
    assert cells("action_label") == [
        _("Request received"),
        _("Sent to the holding unit"),
        _("Reply drafted"),
    ]
    assert cells("from_label") == ["—", received, assigned_]
    assert cells("to_label") == [received, assigned_, drafted]
