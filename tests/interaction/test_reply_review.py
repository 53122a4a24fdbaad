"""答复审核 on the message's page: the reviewer reads the reply and finds approve and return
right under it, in one place, as on an article's review page."""

import re

import pytest
from django.urls import reverse

from interaction import services
from interaction.models import Message, MessageStatus

pytestmark = pytest.mark.django_db

REPLY = "您好，今年招生政策的变化已在教育局网站公布。\n详见招生专栏。"


@pytest.fixture
def drafted(routed, user_named):
    message = routed(subject="咨询招生政策变化")
    return services.draft_reply(message=message, by=user_named("edu_liaison"), body=REPLY)


def change_page(client, message):
    response = client.get(reverse("admin:interaction_message_change", args=[message.pk]))
    assert response.status_code == 200
    return response.content.decode()


def reply_review_section(html):
    sections = re.findall(r'<section class="reply-review".*?</section>', html, re.S)
    return sections[0] if len(sections) == 1 else None


def act_url(message, action):
    return reverse("admin:interaction_message_act", args=[message.pk, action])


def test_the_reviewer_sees_the_reply_with_approve_and_return_right_under_it(drafted, login_as):
    html = change_page(login_as("edu_head"), drafted)

    section = reply_review_section(html)
    assert section is not None, "one reply review section on the page"
    reply_at = section.index("您好，今年招生政策的变化已在教育局网站公布。<br>详见招生专栏。")
    approve_at = section.index(f'action="{act_url(drafted, "approve_reply")}"')
    return_at = section.index(f'formaction="{act_url(drafted, "return_reply")}"')
    assert reply_at < approve_at < return_at
    assert "请问今年的招生政策有哪些变化？" in section[:reply_at]  # the question, for context
    # No second set of approve/return buttons elsewhere on the page.
    assert html.count(act_url(drafted, "approve_reply")) == 1
    assert html.count(act_url(drafted, "return_reply")) == 1
    # The panel (with the decision) comes before the read-only record of the message.
    assert html.index('class="reply-review"') < html.index('class="form-row field-reply_body')


def test_the_reply_is_approved_and_returned_through_the_forms_next_to_it(
    drafted, routed, user_named, login_as
):
    head = login_as("edu_head")

    response = head.post(act_url(drafted, "approve_reply"), {"comment": ""})
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.status == MessageStatus.ANSWERED

    other = services.draft_reply(
        message=routed(subject="咨询学区划分"),
        by=user_named("edu_liaison"),
        body="学区划分见附件。",
    )
    head.post(act_url(other, "return_reply"), {"comment": "请写明具体学校。"})
    other.refresh_from_db()
    assert other.status == MessageStatus.ASSIGNED
    assert other.events.filter(action="return_reply", comment="请写明具体学校。").exists()


def test_returning_without_saying_what_must_change_is_refused_and_changes_nothing(
    drafted, login_as
):
    head = login_as("edu_head")
    events = drafted.events.count()

    response = head.post(act_url(drafted, "return_reply"), {"comment": "  "}, follow=True)

    assert "请说明答复需要修改的地方。" in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.status == MessageStatus.REPLY_DRAFTED
    assert drafted.events.count() == events
    assert Message.objects.get(pk=drafted.pk).reply_body == REPLY


def test_the_drafter_and_the_dispatcher_get_no_review_section(drafted, login_as):
    for username in ("edu_liaison", "dispatcher"):
        html = change_page(login_as(username), drafted)
        assert 'class="reply-review"' not in html
        assert act_url(drafted, "approve_reply") not in html
