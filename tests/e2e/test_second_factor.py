"""双因素认证 in a real browser: an operator whose role needs it signs in, reads the key
the enrolment page shows (as a person would type it into an app), confirms with a code and
lands on the workbench; the page passes axe-core."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from .conftest import PASSWORD, assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_operator_enrols_an_authenticator_and_reaches_the_workbench(page, settings):
    settings.SECOND_FACTOR_ROLES = ["operator"]
    page.goto("/admin/login/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/second-factor/**")
    assert page.locator(".second-factor-qr svg").count() == 1
    screenshot(page, "second-factor-enrol")
    assert_accessible(page)

    key = b32decode(page.locator("#second-factor-key").inner_text().replace(" ", ""))
    page.get_by_label("身份验证器应用中的 6 位验证码").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="确认设备").click()
    page.wait_for_url("**/admin/")
    assert page.locator("h1").first.inner_text() == "工作台"
