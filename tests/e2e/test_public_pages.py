"""Every public page type in headless Chromium, at phone and desktop widths: axe finds no
WCAG 2.1 AA violation (each page's count is in the run's summary), nothing scrolls sideways
on a phone, and the reading tools work; the tracking page and 关怀版 (elderly-friendly mode)
too."""

import pytest

from interaction import services as mailbox_services
from interaction.participation.selectors import (
    public_consultations,
    public_interviews,
    public_surveys,
)
from interaction.selectors import published_messages
from publishing.models import ArticleKind, ServiceItem
from publishing.selectors import published_articles

from .conftest import axe_count, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _policy_with_interpretation(site):
    return (
        published_articles(site)
        .filter(kind=ArticleKind.POLICY, interpretations__status="published")
        .first()
    )


def _page_types(site, live_server):
    policy = _policy_with_interpretation(site)
    interpretation = policy.interpretations.first()
    service = ServiceItem.objects.filter(site=site, is_published=True).first()
    message = published_messages(site).first()
    sub_site = live_server.url.replace("//localhost", "//edu.localhost")
    return {
        "home": "/",
        "home-sub-site": f"{sub_site}/",
        "column": "/columns/news/",
        "column-paged": "/columns/news/?page=2",
        "column-leaf": "/columns/xxgk/policies/",
        "article": published_articles(site)
        .filter(kind=ArticleKind.ARTICLE)
        .first()
        .get_absolute_url(),
        "article-policy": policy.get_absolute_url(),
        "article-interpretation": interpretation.get_absolute_url(),
        "article-print": f"{policy.get_absolute_url()}print/",
        "xxgk": "/xxgk/",
        "xxgk-guide": "/xxgk/guide/",
        "xxgk-catalogue": "/xxgk/catalogue/",
        "xxgk-annual-reports": "/xxgk/annual-reports/",
        "services": "/services/",
        "service-guide": service.get_absolute_url(),
        "search-results": "/search/?q=通知",
        "search-no-results": "/search/?q=查无此词zqx",
        "messages": "/interaction/messages/",
        "message": f"/interaction/messages/{message.pk}/",
        "message-form": "/interaction/messages/new/",
        "message-track": "/interaction/messages/track/",
        "consultations": "/interaction/consultations/",
        "consultation": f"/interaction/consultations/{public_consultations(site).first().pk}/",
        "surveys": "/interaction/surveys/",
        "survey": f"/interaction/surveys/{public_surveys(site).first().pk}/",
        "interviews": "/interaction/interviews/",
        "interview": f"/interaction/interviews/{public_interviews(site).first().pk}/",
        "sitemap": "/sitemap/",
        "not-found": "/columns/no-such-column/",
        "bad-request": "/columns/news/?page=abc",
    }


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_public_page_type_is_accessible_and_fits(
    width, page, phone_page, demo, live_server, audit, monkeypatch
):
    # Two items a page: the demo's news column has a second page to show.
    monkeypatch.setattr("publishing.views.PAGE_SIZE", 2)
    browser_page = page if width == "desktop" else phone_page
    found = {}
    for name, url in _page_types(demo, live_server).items():
        browser_page.goto(url)
        assert browser_page.locator("h1").count() >= 1, name
        screenshot(browser_page, f"public-{name}-{width}")
        if width == "phone":
            scroll = browser_page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 390, f"{name} scrolls sideways on a phone ({scroll}px)"
        found[name] = axe_count(browser_page, audit, f"public {name} ({width})")
    assert not any(found.values()), {name: v for name, v in found.items() if v}


def test_tracking_page_and_elderly_mode_are_accessible(page, demo, live_server, audit):
    """The tracking page a citizen reaches with both credentials, and 关怀版 (the elderly-
    friendly mode: larger type, underlined links, bigger targets) on a few page types."""
    message, password = mailbox_services.submit_message(
        site=demo,
        kind="consultation",
        subject="无障碍检查：查询页",
        content="请问社区卫生服务中心周末开放吗？",
        name="赵六",
        phone="13700001234",
    )
    found = {}
    page.goto("/interaction/messages/track/")
    page.fill("#id_code", message.tracking_code)
    page.fill("#id_password", password)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/track/status/")
    found["message-track-status"] = axe_count(page, audit, "public message-track-status")
    urls = _page_types(demo, live_server)
    page.goto("/")
    page.locator(".care-switch").first.click()
    for name in ("home", "column", "article-policy", "service-guide", "message-form"):
        page.goto(urls[name])
        # The mode is remembered from page to page.
        assert page.locator("html.care").count() == 1, name
        screenshot(page, f"public-{name}-care")
        found[f"{name}-care"] = axe_count(page, audit, f"public {name} (elderly mode)")
    assert not any(found.values()), found


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
