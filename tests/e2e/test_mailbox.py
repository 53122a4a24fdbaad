"""The citizen mailbox in a real browser: a citizen writes (captcha in test mode) and gets the
tracking code; the dispatcher routes it; the unit replies; the section head approves; the
citizen sees the answer on the tracking page and rates it. Public pages pass axe-core."""

import re

import pytest

from interaction.models import Message, MessageStatus

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "浏览器测试：社区卫生服务中心开放时间"


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch, settings):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def open_from_inbox(page, subject):
    page.goto("/admin/interaction/message/inbox/")
    page.get_by_role("link", name=subject).first.click()
    page.wait_for_url("**/change/")


def test_citizen_to_unit_and_back(page, staff_page):
    # The citizen writes.
    page.goto("/interaction/messages/new/?type=consultation")
    assert_accessible(page)
    page.select_option("#id_unit", label="区卫生健康局")
    page.fill("#id_subject", SUBJECT)
    page.fill("#id_content", "请问社区卫生服务中心周末是否开放？")
    page.fill("#id_name", "赵六")
    page.fill("#id_phone", "13700001234")
    page.fill("#id_email", "zhaoliu@example.com")
    page.fill("#id_captcha_1", "PASSED")
    screenshot(page, "mailbox-form")
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_url("**/messages/new/done/")
    code = page.locator("#tracking-code").inner_text()
    password = page.locator("#query-password").inner_text()
    assert re.fullmatch(r"\d{8}[A-Z0-9]{6}", code) and len(password) == 8
    screenshot(page, "mailbox-done")
    assert_accessible(page)
    message = Message.objects.get(tracking_code=code)
    assert message.status == MessageStatus.RECEIVED

    # The dispatcher routes it to the education bureau instead of the health bureau.
    dispatcher = staff_page("dispatcher")
    open_from_inbox(dispatcher, SUBJECT)
    assert "13700001234" in dispatcher.content()  # contact data for the dispatcher
    dispatcher.select_option("#route-unit", label="区教育局")
    screenshot(dispatcher, "mailbox-dispatcher-route")
    dispatcher.get_by_role("button", name="分办").click()
    dispatcher.wait_for_url("**/inbox/")
    message.refresh_from_db()
    assert message.status == MessageStatus.ASSIGNED and message.unit.name == "区教育局"

    # The unit's liaison drafts the reply.
    liaison = staff_page("edu_liaison")
    open_from_inbox(liaison, SUBJECT)
    liaison.fill("#reply-body", "社区卫生服务中心周六上午开放，周日休息。")
    liaison.get_by_role("button", name="保存并提交审核").click()
    liaison.wait_for_url("**/change/")
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLY_DRAFTED

    # The section head approves: the reply goes out.
    head = staff_page("edu_head")
    open_from_inbox(head, SUBJECT)
    screenshot(head, "mailbox-head-review")
    head.get_by_role("button", name="审核通过").click()
    head.wait_for_url("**/inbox/")
    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED

    # The citizen finds the answer with both credentials and rates it.
    page.goto("/interaction/messages/track/")
    assert_accessible(page)
    page.fill("#id_code", code)
    page.fill("#id_password", password)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/track/status/")
    assert "社区卫生服务中心周六上午开放" in page.locator("#reply-body").inner_text()
    assert "13700001234" not in page.content() and "赵六" not in page.content()
    screenshot(page, "mailbox-tracking-answered")
    assert_accessible(page)
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_url("**/track/status/")
    assert page.locator("#message-status").inner_text() == "已办结"
    message.refresh_from_db()
    assert message.rating == "satisfied" and message.status == MessageStatus.CLOSED

    # The exchange is on the public list, without the citizen's name or phone.
    page.goto("/interaction/messages/")
    assert SUBJECT in page.content() and "13700001234" not in page.content()
    screenshot(page, "mailbox-public-list")
    assert_accessible(page)


def test_wrong_captcha_and_wrong_password_are_explained(page, demo):
    page.goto("/interaction/messages/new/")
    page.fill("#id_subject", "验证码测试")
    page.fill("#id_content", "内容")
    page.fill("#id_name", "钱七")
    page.fill("#id_phone", "13700004321")
    page.fill("#id_captcha_1", "WRONG")
    page.get_by_role("button", name="提交留言").click()
    page.get_by_text("计算结果不正确").first.wait_for()
    assert not Message.objects.filter(subject="验证码测试").exists()
    screenshot(page, "mailbox-form-errors")
    assert_accessible(page)

    page.goto("/interaction/messages/track/")
    page.fill("#id_code", "20260101ABCDEF")
    page.fill("#id_password", "WRONG123")
    page.get_by_role("button", name="查询").click()
    # The answer is a new page: wait for it rather than read the one being left.
    page.get_by_text("留言编号或查询密码不正确").first.wait_for()
    assert_accessible(page)


def test_public_pages_on_a_phone(phone_page, demo):
    for url in ["/interaction/messages/", "/interaction/messages/new/"]:
        phone_page.goto(url)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_accessible(phone_page)
    screenshot(phone_page, "mailbox-form-phone")
