"""站内搜索 in a real browser: searching from the keyboard, results, errors, phone layout."""

import pytest

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_searches_from_the_keyboard_and_sees_highlighted_results(page):
    page.goto("/search/")
    assert_accessible(page)

    page.get_by_label("搜索词").fill("义务教育")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")

    services = page.locator(".search-services")
    assert services.get_by_role("link", name="义务教育阶段新生入学登记").count() == 1
    assert "相关的信息" in page.locator("#results-heading").inner_text()
    assert page.locator(".search-list mark").first.inner_text() == "义务教育"
    screenshot(page, "search-desktop")
    assert_accessible(page)


def test_filters_narrow_the_results_and_say_when_nothing_matches(page):
    page.goto("/search/?q=义务教育")
    page.get_by_label("类型").select_option(label="政策文件")
    page.locator("#main").get_by_role("button", name="搜索").click()
    # The click returns once the new page is committed, not parsed: wait for it to load.
    page.wait_for_url("**kind=policy**")

    assert page.locator(".search-empty").count() == 1
    assert page.get_by_role("link", name="取消筛选条件重新搜索").count() == 1
    screenshot(page, "search-filtered-empty")
    assert_accessible(page)


def test_an_overlong_query_gets_a_clear_error_page(page):
    # 10,000 characters are tested over HTTP (test_search.py); here the URL must stay within
    # the test server's request-line limit.
    response = page.goto("/search/?q=" + "教" * 1_000)

    assert response.status == 400
    assert "搜索词太长" in page.get_by_role("alert").inner_text()
    screenshot(page, "search-error")
    assert_accessible(page)


def test_search_on_a_phone_has_no_horizontal_scroll(phone_page):
    phone_page.goto("/search/?q=教育")

    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "search-phone")
    assert_accessible(phone_page)


def test_api_docs_render_from_the_sites_own_files(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")

    assert "政务门户开放数据接口" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.get_by_text("/api/articles/", exact=True).count() >= 1
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    screenshot(page, "api-docs")
