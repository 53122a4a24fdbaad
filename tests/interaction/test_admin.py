"""The back office over HTTP: the dispatcher's and the unit's to-do lists sorted by urgency,
working days left, and actions posted from a message's page, refused in Chinese when wrong."""

from datetime import date

import pytest

from interaction.models import ExtensionRequest, MessageStatus
from interaction.working_days import local_date

pytestmark = pytest.mark.django_db


def act(client, message, action, **data):
    return client.post(f"/admin/interaction/message/{message.pk}/act/{action}/", data, follow=True)


def test_dispatcher_routes_from_the_inbox(login_as, submit, unit_named):
    message, _password = submit(subject="待分办的留言")
    client = login_as("dispatcher")
    inbox = client.get("/admin/interaction/message/inbox/").content.decode()
    assert "待分办的留言" in inbox
    response = act(client, message, "route", unit=unit_named("区财政局").pk)
    assert "已分办至单位。" in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED and message.unit.name == "区财政局"


def test_unit_cannot_route(login_as, submit, unit_named):
    message, _password = submit()
    response = act(login_as("edu_liaison"), message, "route", unit=unit_named("区教育局").pk)
    assert response.status_code == 404  # not the unit's message: it cannot even see it
    message.refresh_from_db()
    assert message.status == MessageStatus.RECEIVED


def test_unit_inbox_shows_working_days_left_most_urgent_first(clock, login_as, routed):
    clock.on(date(2024, 10, 8))
    routed(subject="十五个工作日的事项", kind="handling")
    routed(subject="三个工作日的找错", kind="site_error")
    html = login_as("edu_liaison").get("/admin/interaction/message/inbox/").content.decode()
    assert html.index("三个工作日的找错") < html.index("十五个工作日的事项")
    listing = login_as("edu_liaison").get("/admin/interaction/message/").content.decode()
    assert "剩余工作日" in listing and "2024-10-11" in listing
    # Open messages come before answered ones, the nearest due date first.
    assert listing.index("三个工作日的找错") < listing.index("十五个工作日的事项")
    assert listing.index("十五个工作日的事项") < listing.index("学区划分什么时候公布？")


def test_extension_past_the_cap_from_the_admin_is_explained(clock, login_as, routed):
    clock.on(date(2024, 9, 30))
    message = routed(kind="handling")
    response = act(
        login_as("edu_liaison"), message, "request_extension", working_days=70, reason="复杂"
    )
    assert "超过受理后 3 个月的最后期限 2024-12-30" in response.content.decode()
    assert not ExtensionRequest.objects.filter(message=message).exists()


def test_reply_without_text_is_explained(login_as, routed):
    message = routed()
    response = act(login_as("edu_liaison"), message, "draft_reply", body="  ")
    assert "请填写答复内容。" in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED


def test_dispatcher_approves_an_extension_from_the_page(clock, login_as, routed, user_named):
    clock.on(date(2024, 9, 30))
    message = routed(kind="consultation")
    act(login_as("edu_liaison"), message, "request_extension", working_days=2, reason="会商")
    extension = ExtensionRequest.objects.get(message=message)
    page = login_as("dispatcher").get(f"/admin/interaction/message/{message.pk}/change/")
    assert "申请延期 2 个工作日：会商" in page.content.decode()
    act(
        login_as("dispatcher"),
        message,
        "decide_extension",
        extension=extension.pk,
        outcome="approve",
    )
    message.refresh_from_db()
    assert message.deadline_version == 2
    assert local_date(message.due_at) == date(2024, 10, 17)
