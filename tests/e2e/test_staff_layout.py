"""The staff's lists and decisions as laid out in Chromium on a 1366×768 office screen: the
message and article lists fit without a horizontal scroll bar, and a reviewer finds approve
and return right under the reply they approve (答复审核)."""

import pytest
from django.contrib.auth import get_user_model

from columns.models import Unit
from interaction import services as mailbox
from interaction.models import Message, MessageStatus

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

OFFICE_SCREEN = {"width": 1366, "height": 768}


def horizontal_overflow(page):
    """How many pixels the page, or the list's own scroll box, is wider than it shows
    (0 or less: no horizontal scroll bar anywhere)."""
    return page.evaluate(
        """Math.max(
            document.documentElement.scrollWidth - window.innerWidth,
            ...[...document.querySelectorAll('#changelist .results')]
                .map(box => box.scrollWidth - box.clientWidth))"""
    )


def overflowing_cells(page):
    """List cells whose text runs out of them (cut or spilling into the next column)."""
    return page.evaluate(
        """[...document.querySelectorAll('#result_list td, #result_list th')]
            .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
            .map(cell => cell.className + ': ' + cell.innerText.slice(0, 30))"""
    )


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("dispatcher", "/admin/interaction/message/"),
        ("edu_liaison", "/admin/interaction/message/"),
        ("operator", "/admin/publishing/article/"),
        ("edu_liaison", "/admin/publishing/article/"),
    ],
)
def test_lists_fit_a_1366_pixel_screen_without_horizontal_scroll(staff_page, username, path):
    page = staff_page(username, OFFICE_SCREEN)
    page.goto(path)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() > 0, "the demo gives every list rows to lay out"
    name = path.strip("/").replace("/", "-")
    screenshot(page, f"layout-1366-{name}-{username}")

    assert horizontal_overflow(page) <= 0
    assert overflowing_cells(page) == []
    # Each row stays legible: no row grows beyond three lines of text.
    tallest = max(rows.nth(i).bounding_box()["height"] for i in range(rows.count()))
    assert tallest <= 3 * 24, f"a row {tallest}px high wraps into a column of fragments"


def test_reviewer_finds_approve_and_return_right_under_the_reply(staff_page, demo):
    user = get_user_model().objects.get
    message, _password = mailbox.submit_message(
        site=demo,
        kind="consultation",
        subject="浏览器测试：学区划分咨询",
        content="请问新小区属于哪个学区？",
        name="张三",
        phone="13900001111",
        email="zhangsan@example.com",
    )
    mailbox.route(
        message=message, by=user(username="dispatcher"), unit=Unit.objects.get(name="区教育局")
    )
    mailbox.draft_reply(
        message=message, by=user(username="edu_liaison"), body="新小区划入第一实验小学学区。"
    )

    page = staff_page("edu_head", OFFICE_SCREEN)
    page.goto(f"/admin/interaction/message/{message.pk}/change/")
    reply = page.locator(".reply-review .reply-text")
    approve = page.locator(".reply-review").get_by_role("button", name="审核通过")
    give_back = page.locator(".reply-review").get_by_role("button", name="退回答复")
    assert reply.inner_text() == "新小区划入第一实验小学学区。"
    screenshot(page, "layout-1366-reply-review")

    reply_box, approve_box, return_box = (
        reply.bounding_box(),
        approve.bounding_box(),
        give_back.bounding_box(),
    )
    # The buttons sit right under the reply, side by side, all on the first screen.
    assert 0 <= approve_box["y"] - (reply_box["y"] + reply_box["height"]) <= 80
    assert abs(approve_box["y"] - return_box["y"]) < 4
    assert approve_box["y"] + approve_box["height"] <= OFFICE_SCREEN["height"]
    assert page.get_by_role("button", name="审核通过").count() == 1

    approve.click()
    page.wait_for_url("**/inbox/")
    assert Message.objects.get(pk=message.pk).status == MessageStatus.ANSWERED
