"""The public shell in a real browser: the footer, phone layout, accessibility."""

import pytest

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_homepage_footer_is_complete_and_accessible(page):
    page.goto("/")
    footer = page.locator("footer")
    for text in ["网站标识码", "5201020001", "黔ICP备05001234号", "主办单位", "网站地图"]:
        assert text in footer.inner_text()
    assert footer.get_by_role("link", name="我为政府网站找错").count() == 1
    assert footer.get_by_role("link", name="党政机关网站标识").count() == 1
    screenshot(page, "shell-desktop")
    assert_accessible(page)


def test_unknown_host_page_is_accessible(page, live_server):
    page.goto(live_server.url.replace("localhost", "unknown.localhost"))
    assert "网站不存在" in page.content()
    assert_accessible(page)


def test_homepage_on_phone_has_no_horizontal_scroll(phone_page):
    phone_page.goto("/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone_page, "shell-phone")
    assert_accessible(phone_page)
