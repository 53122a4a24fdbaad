"""Who sees which messages and whose contact data: a unit sees only its own messages in the
admin lists, change pages, actions and the API; contact data appear only to the dispatcher
and the assigned unit, each view logged, and never on public pages or in the API."""

import pytest

from columns.models import OperationLog
from interaction import services

pytestmark = pytest.mark.django_db

CONTACT = {"name": "王秘密", "phone": "13912345678", "email": "secret.citizen@example.com"}


@pytest.fixture
def edu_message(routed):
    return routed(unit="区教育局", subject="教育局的留言", **CONTACT)


@pytest.fixture
def fin_message(routed):
    return routed(unit="区财政局", subject="财政局的留言", **CONTACT)


def test_unit_lists_only_its_own_messages(login_as, edu_message, fin_message):
    page = login_as("edu_liaison").get("/admin/interaction/message/").content.decode()
    assert "教育局的留言" in page and "财政局的留言" not in page
    inbox = login_as("edu_liaison").get("/admin/interaction/message/inbox/").content.decode()
    assert "教育局的留言" in inbox and "财政局的留言" not in inbox


def test_unit_cannot_open_or_act_on_another_units_message(login_as, fin_message):
    client = login_as("edu_liaison")
    assert client.get(f"/admin/interaction/message/{fin_message.pk}/change/").status_code == 404
    response = client.post(
        f"/admin/interaction/message/{fin_message.pk}/act/draft_reply/", {"body": "越权答复"}
    )
    assert response.status_code == 404
    fin_message.refresh_from_db()
    assert fin_message.reply_body == ""


def test_unit_sees_only_its_messages_in_the_api(login_as, edu_message, fin_message):
    client = login_as("edu_head")
    listing = client.get("/interaction/api/staff/messages/").json()
    rows = listing["results"]
    while listing["next"]:
        listing = client.get(listing["next"]).json()
        rows += listing["results"]
    subjects = [row["subject"] for row in rows]
    assert "教育局的留言" in subjects and "财政局的留言" not in subjects
    assert {row["unit"] for row in rows} == {"区教育局"}
    assert all("phone" not in row and "name" not in row for row in rows)
    assert client.get(f"/interaction/api/staff/messages/{fin_message.pk}/").status_code == 404
    assert client.get(f"/interaction/api/staff/messages/{edu_message.pk}/").status_code == 200


def test_staff_api_needs_a_login(client, edu_message):
    assert client.get("/interaction/api/staff/messages/").status_code in (401, 403)


def test_dispatcher_sees_everything_and_the_contact_data_view_is_logged(login_as, fin_message):
    page = login_as("dispatcher").get(f"/admin/interaction/message/{fin_message.pk}/change/")
    html = page.content.decode()
    assert "13912345678" in html and "secret.citizen@example.com" in html
    entry = OperationLog.objects.get(action="message_contact_viewed")
    assert entry.actor.username == "dispatcher" and entry.target_id == str(fin_message.pk)


def test_assigned_unit_sees_contact_data_and_each_view_is_logged(login_as, edu_message):
    client = login_as("edu_liaison")
    for _time in range(2):
        html = client.get(f"/admin/interaction/message/{edu_message.pk}/change/").content.decode()
        assert "13912345678" in html
    assert OperationLog.objects.filter(action="message_contact_viewed").count() == 2


def test_inspector_sees_the_message_but_not_the_contact_data(login_as, edu_message):
    client = login_as("inspector")
    listing = client.get("/admin/interaction/message/").content.decode()
    assert "教育局的留言" in listing and "王**" in listing and "王秘密" not in listing
    html = client.get(f"/admin/interaction/message/{edu_message.pk}/change/").content.decode()
    assert "13912345678" not in html and "secret.citizen" not in html and "王秘密" not in html
    assert not OperationLog.objects.filter(action="message_contact_viewed").exists()


def test_operator_has_no_business_with_messages(login_as, edu_message):
    client = login_as("operator")
    assert client.get("/admin/interaction/message/").status_code == 403
    assert client.get(f"/admin/interaction/message/{edu_message.pk}/change/").status_code == 403


def test_a_transfer_takes_the_contact_data_away_from_the_first_unit(
    login_as, user_named, unit_named, edu_message
):
    services.request_transfer(message=edu_message, by=user_named("edu_liaison"), reason="非本单位")
    services.decide_transfer(
        message=edu_message,
        by=user_named("dispatcher"),
        approve=True,
        unit=unit_named("区财政局"),
    )
    client = login_as("edu_liaison")
    assert client.get(f"/admin/interaction/message/{edu_message.pk}/change/").status_code == 404


def answer(message, user_named):
    services.draft_reply(message=message, by=user_named("edu_liaison"), body="公开的答复内容")
    services.approve_reply(message=message, by=user_named("edu_head"))
    message.refresh_from_db()
    return message


def test_contact_data_never_on_public_pages_or_in_the_api(client, edu_message, user_named):
    answer(edu_message, user_named)
    pages = [
        client.get("/interaction/messages/"),
        client.get(f"/interaction/messages/{edu_message.pk}/"),
        client.get("/api/messages/"),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert "公开的答复内容" in body
        for secret in CONTACT.values():
            assert secret not in body


def test_tracking_page_does_not_show_contact_data(client, submit):
    message, password = submit(**CONTACT)
    client.post(
        "/interaction/messages/track/", {"code": message.tracking_code, "password": password}
    )
    body = client.get("/interaction/messages/track/status/").content.decode()
    assert message.subject in body
    for secret in CONTACT.values():
        assert secret not in body
