"""A citizen in a real browser: asks for another sum, sends the form wrong and lands on the error
summary, then solves the sum and sends it; turns on 关怀版 and keeps it on the next page. The
form and the 关怀版 pages pass axe-core. Captchas are real here (no test mode): the test reads
the answer of the key the form shows from its CaptchaStore row, as a person reads the picture."""

import re

import pytest
from captcha.models import CaptchaStore

from interaction.captcha_pool import refill_captcha_pool
from interaction.models import Message

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

FORM = "/interaction/messages/new/"
SUBJECT = "浏览器测试：老年人优待证怎么办理"


def shown_key(page):
    return page.locator("input[name=captcha_0]").input_value()


def answer_for(key):
    return CaptchaStore.objects.get(hashkey=key).response


def test_citizen_refreshes_fails_then_solves_the_sum(page, settings):
    settings.CAPTCHA_POOL_SIZE = 5
    refill_captcha_pool()
    page.goto(FORM)
    first_key = shown_key(page)
    image = page.locator("img.captcha")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 200
    assert page.get_by_label("验证码").get_attribute("id") == "id_captcha_1"

    # Another sum: new key, new picture, the answer box emptied and focused.
    page.locator(".captcha-refresh").click()
    page.wait_for_function(
        "key => document.querySelector('input[name=captcha_0]').value !== key", arg=first_key
    )
    second_key = shown_key(page)
    assert second_key in image.get_attribute("src")
    assert page.evaluate("document.activeElement.id") == "id_captcha_1"

    # A failed submission (nothing filled but a wrong sum) puts focus on the error summary.
    page.fill("#id_captcha_1", str(int(answer_for(second_key)) + 1))
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.locator("#error-summary")
    assert summary.get_by_role("link").count() >= 5  # type, subject, content, name, phone, sum
    summary.locator('a[href="#id_captcha_1"]').click()
    assert page.evaluate("document.activeElement.id") == "id_captcha_1"
    screenshot(page, "citizen-form-errors")
    assert_accessible(page)
    assert not Message.objects.filter(subject=SUBJECT).exists()

    # Read the new sum and send.
    page.select_option("#id_kind", "consultation")
    page.fill("#id_subject", SUBJECT)
    page.fill("#id_content", "请问七十岁老人的优待证在哪里办理？")
    page.fill("#id_name", "钱七")
    page.fill("#id_phone", "13700004321")
    page.fill("#id_captcha_1", answer_for(shown_key(page)))
    page.get_by_role("button", name="提交留言").click()
    # The redirect keeps the #id_captcha_1 the summary link added.
    page.wait_for_url(re.compile(r"/messages/new/done/"))
    assert Message.objects.filter(subject=SUBJECT).exists()


def test_care_mode_is_kept_across_pages_and_accessible(page):
    page.goto("/")
    switch = page.locator(".care-switch")
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    page.goto("/interaction/messages/")
    assert page.evaluate("document.documentElement.classList.contains('care')")
    assert page.locator(".care-switch").get_attribute("aria-pressed") == "true"
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 24
    link_height = page.locator(".site-nav a").first.evaluate(
        "a => a.getBoundingClientRect().height"
    )
    assert link_height >= 48
    screenshot(page, "citizen-care-mode")
    assert_accessible(page)
    page.goto(FORM)
    screenshot(page, "citizen-care-form")
    assert_accessible(page)
