"""What every public page carries for citizens: the main navigation, the font-size switch and
the 关怀版 switch, a meta description, <html lang> of the language served; and robots.txt and
a favicon for the site."""

import re

import pytest

pytestmark = pytest.mark.django_db

#: Pages that used to lack the main navigation or the reading tools.
PAGES = [
    "/",
    "/search/?q=%E9%80%9A%E7%9F%A5",
    "/interaction/messages/",
    "/interaction/messages/new/",
    "/interaction/messages/track/",
    "/interaction/consultations/",
    "/no-such-page/",
    "/xxgk/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_public_page_has_navigation_reading_tools_and_description(client, demo, url):
    response = client.get(url)
    html = response.content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert 'href="/xxgk/"' in nav and 'href="/services/"' in nav  # the site's top columns
    assert html.count('class="font-switch"') == 3
    assert '<button type="button" class="care-switch" aria-pressed="false">' in html
    description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
    assert "示例区人民政府" in description
    assert f'<html lang="{response.headers["Content-Language"]}">' in html


def test_column_and_article_pages_describe_themselves(client, demo):
    home = client.get("/").content.decode()
    column = re.search(r'href="(/columns/[^"]+/)"', home).group(1)
    html = client.get(column).content.decode()
    name = re.search(r'<meta name="ColumnName" content="([^"]+)">', html).group(1)
    assert re.search(rf'<meta name="description" content="[^"]*{name} - 示例区人民政府">', html)
    article = re.search(r'href="(/articles/\d+/)"', home).group(1)
    html = client.get(article).content.decode()
    # The article's own description (its summary or title), not a second, generic one.
    assert len(re.findall(r'<meta name="[Dd]escription"', html)) == 1


def test_robots_txt_keeps_crawlers_off_search_tracking_and_forms(client, demo):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/search/", "/interaction/messages/new/", "/interaction/messages/track/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_favicon_is_served(client, demo):
    html = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == icon


def test_each_page_type_has_its_own_description(client, demo):
    descriptions = [
        re.search(r'<meta name="description" content="([^"]+)">', client.get(url).content.decode())
        for url in PAGES
    ]
    assert len({match.group(1) for match in descriptions}) == len(PAGES)
