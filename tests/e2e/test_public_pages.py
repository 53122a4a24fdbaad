"""Every public page type in headless Chromium, at phone and desktop widths: axe finds no
WCAG 2.1 AA violation, nothing scrolls sideways on a phone, and the reading tools work."""

import pytest

from publishing.models import ArticleKind, ServiceItem
from publishing.selectors import published_articles

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _policy_with_interpretation(site):
    return (
        published_articles(site)
        .filter(kind=ArticleKind.POLICY, interpretations__status="published")
        .first()
    )


def _page_types(site):
    policy = _policy_with_interpretation(site)
    interpretation = policy.interpretations.first()
    service = ServiceItem.objects.filter(site=site, is_published=True).first()
    return {
        "home": "/",
        "column": "/columns/news/",
        "column-leaf": "/columns/xxgk/policies/",
        "article-policy": policy.get_absolute_url(),
        "article-interpretation": interpretation.get_absolute_url(),
        "article-print": f"{policy.get_absolute_url()}print/",
        "xxgk": "/xxgk/",
        "xxgk-guide": "/xxgk/guide/",
        "xxgk-catalogue": "/xxgk/catalogue/",
        "xxgk-annual-reports": "/xxgk/annual-reports/",
        "services": "/services/",
        "service-guide": service.get_absolute_url(),
        "sitemap": "/sitemap/",
        "not-found": "/columns/no-such-column/",
        "bad-request": "/columns/news/?page=abc",
    }


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_public_page_type_is_accessible_and_fits(width, page, phone_page, demo):
    browser_page = page if width == "desktop" else phone_page
    for name, url in _page_types(demo).items():
        browser_page.goto(url)
        assert browser_page.locator("h1").count() >= 1, name
        screenshot(browser_page, f"public-{name}-{width}")
        if width == "phone":
            scroll = browser_page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 390, f"{name} scrolls sideways on a phone ({scroll}px)"
        assert_accessible(browser_page)


def test_font_size_switch_enlarges_text_and_is_remembered(page, demo):
    policy = _policy_with_interpretation(demo)
    page.goto(policy.get_absolute_url())
    body = page.locator(".article-body")
    before = body.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    page.get_by_role("button", name="特大").click()
    after = body.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert after > before
    assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"
    page.reload()
    again = body.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert again == after


def test_policy_and_interpretation_link_each_other_in_the_browser(page, demo):
    policy = _policy_with_interpretation(demo)
    interpretation = policy.interpretations.first()
    page.goto(policy.get_absolute_url())
    page.get_by_role("link", name=interpretation.title).click()
    page.wait_for_url(f"**{interpretation.get_absolute_url()}")
    page.get_by_role("link", name=f"《{policy.title}》").click()
    page.wait_for_url(f"**{policy.get_absolute_url()}")
    assert page.locator(".qr-code svg").count() == 1


def test_keyboard_reaches_main_content_through_the_skip_link(page, demo):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "跳到主要内容" in focused or "Skip" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
