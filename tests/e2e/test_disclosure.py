"""依申请公开 in a real browser: a citizen finds the form from the 信息公开 guide and applies
(captcha in test mode); the education bureau's liaison answers 部分公开 on the ground of
Art. 15; its section head approves; the citizen sees the reply on the tracking page and
downloads the 告知书. The public pages pass axe-core."""

import docx
import pytest

from disclosure.models import DisclosureRequest, RequestStatus

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch, settings, tmp_path):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


def test_citizen_applies_unit_answers_partly_head_approves_citizen_downloads(
    page, staff_page, tmp_path
):
    # The citizen follows the guide to the form.
    page.goto("/xxgk/guide/")
    page.click("#apply-online")
    page.wait_for_url("**/disclosure/apply/")
    assert_accessible(page)
    page.select_option("#id_applicant_type", "person")
    page.fill("#id_name", "孙丽")
    page.select_option("#id_id_type", "id_card")
    page.fill("#id_id_number", "11010519491231002X")
    page.fill("#id_phone", "13600001234")
    page.fill("#id_email", "sunli@example.com")
    page.select_option("#id_unit", label="区教育局")
    page.fill("#id_description", "示例区2026年中小学教师招聘面试评分表")
    page.check("input[name=delivery_form][value=email]")
    page.fill("#id_captcha_1", "PASSED")
    screenshot(page, "disclosure-form")
    page.click("form.mailbox-form button[type=submit]")
    page.wait_for_url("**/disclosure/apply/done/")
    code = page.locator("#tracking-code").inner_text()
    password = page.locator("#query-password").inner_text()
    assert_accessible(page)
    request = DisclosureRequest.objects.get(tracking_code=code)
    assert request.status == RequestStatus.ASSIGNED and request.unit.name == "区教育局"
    change = f"/admin/disclosure/disclosurerequest/{request.pk}/change/"

    # The education bureau's liaison answers 部分公开, withholding on Art. 15.
    liaison = staff_page("edu_liaison")
    liaison.goto(change)
    assert "11010519491231002X" in liaison.locator("#applicant-data").inner_text()
    liaison.select_option("#reply-type", "partial")
    liaison.select_option("#reply-ground", "third_party")
    liaison.fill("#reply-body", "评分表予以公开，考生个人信息已作区分处理。")
    liaison.click("#draft-reply")
    liaison.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == RequestStatus.REPLY_DRAFTED

    # Its section head reads the draft notice and approves it.
    head = staff_page("edu_head")
    head.goto(change)
    assert "第十五条" in head.locator("#notice-draft").inner_text()
    screenshot(head, "disclosure-head-review")
    head.click("#approve-reply")
    head.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.notice

    # The citizen finds the reply with both credentials and downloads the 告知书.
    page.goto("/disclosure/track/")
    page.fill("#id_code", code)
    page.fill("#id_password", password)
    page.click("form.mailbox-form button[type=submit]")
    page.wait_for_url("**/disclosure/track/status/")
    reply = page.locator("#reply-body").inner_text()
    assert "第三十七条" in reply and "第十五条" in reply and "考生个人信息已作区分处理" in reply
    assert "孙丽" not in page.content() and "13600001234" not in page.content()
    screenshot(page, "disclosure-tracking-answered")
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("#notice-download")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"{code}.docx"
    text = "\n".join(p.text for p in docx.Document(saved).paragraphs)
    assert "《中华人民共和国政府信息公开条例》第三十七条、第十五条" in text and code in text
