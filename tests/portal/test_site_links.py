"""Links across sites over HTTP: a page of one site links to another site's objects at that
site's primary host, and to its own objects with relative paths; sitemap.xml and the HTML
网站地图 list every public page type of their site, each answering on that site's host."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.test import Client

from columns.models import Site, SiteHost
from columns.site_urls import absolute_url
from interaction.models import Message
from interaction.participation.models import Consultation, Interview, Survey
from interaction.selectors import published_messages
from publishing.models import Article, ArticleKind, ArticleStatus, ServiceItem
from publishing.selectors import published_articles

pytestmark = pytest.mark.django_db

EDU_CODE = "5201020002"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def edu(demo):
    return Site.objects.get(site_code=EDU_CODE)


def _hrefs(html):
    return set(re.findall(r'href="([^"#]+)"', html))


def _portal_interpretation_of_edu_policy(demo, edu):
    """The demo's edu interpretation the portal shows in its 政策解读 column."""
    interpretation = (
        published_articles(demo)
        .filter(kind=ArticleKind.INTERPRETATION, column__site=edu, policy__column__site=edu)
        .exclude(policy__extra_columns__site=demo)
        .first()
    )
    assert interpretation is not None
    return interpretation


def test_portal_interpretation_links_to_the_edu_policy_at_the_edu_host(client, demo, edu):
    interpretation = _portal_interpretation_of_edu_policy(demo, edu)
    policy_path = f"/articles/{interpretation.policy_id}/"
    response = client.get(interpretation.get_absolute_url())
    assert response.status_code == 200
    hrefs = _hrefs(response.content.decode())
    assert f"http://edu.localhost{policy_path}" in hrefs
    assert policy_path not in hrefs
    # The relative link asked the portal, which does not show the policy.
    assert client.get(policy_path).status_code == 404
    assert Client(HTTP_HOST="edu.localhost").get(policy_path).status_code == 200


def test_links_within_a_site_stay_relative(demo, edu):
    interpretation = _portal_interpretation_of_edu_policy(demo, edu)
    edu_client = Client(HTTP_HOST="edu.localhost")
    hrefs = _hrefs(edu_client.get(interpretation.get_absolute_url()).content.decode())
    assert f"/articles/{interpretation.policy_id}/" in hrefs
    assert not any(h.startswith("http://edu.localhost") for h in hrefs)
    policy_hrefs = _hrefs(edu_client.get(f"/articles/{interpretation.policy_id}/").content.decode())
    assert interpretation.get_absolute_url() in policy_hrefs


def test_cross_site_links_follow_the_primary_host(
    client, demo, edu, django_capture_on_commit_callbacks
):
    """The edu site's primary host changes: the portal's pages, cached with the old one,
    name the new one at once."""
    interpretation = _portal_interpretation_of_edu_policy(demo, edu)
    old = f"http://edu.localhost/articles/{interpretation.policy_id}/"
    assert old in _hrefs(client.get(interpretation.get_absolute_url()).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        SiteHost.objects.filter(site=edu).update(is_primary=False)
        new_primary = SiteHost.objects.get(hostname="edu.example.gov.cn")
        new_primary.is_primary = True
        new_primary.save()
    hrefs = _hrefs(client.get(interpretation.get_absolute_url()).content.decode())
    assert old not in hrefs
    assert f"http://edu.example.gov.cn/articles/{interpretation.policy_id}/" in hrefs


def _assert_every_link_answers(html, own_host):
    """Each link to one of the platform's hosts answers 200 (or redirects) on that host."""
    hosts = set(SiteHost.objects.values_list("hostname", flat=True))
    checked = 0
    for href in sorted(_hrefs(html)):
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "tel", "javascript") or href.startswith("//"):
            continue
        host = parts.hostname or own_host
        if host not in hosts or parts.path.startswith(("/static/", "/media/")):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        status = Client(HTTP_HOST=host).get(path).status_code
        assert status in (200, 301, 302), f"{href} on {own_host}: {status}"
        checked += 1
    assert checked


@pytest.mark.parametrize("page", ["/", "/columns/xxgk/interpretations/", "/xxgk/catalogue/"])
def test_every_link_of_portal_pages_answers_on_its_host(client, demo, page):
    response = client.get(page)
    assert response.status_code == 200
    _assert_every_link_answers(response.content.decode(), "localhost")


def test_column_feed_links_articles_on_their_own_sites(client, demo, edu):
    interpretation = _portal_interpretation_of_edu_policy(demo, edu)
    column = interpretation.extra_columns.get(site=demo)
    channel = ET.fromstring(client.get(f"{column.get_absolute_url()}rss.xml").content).find(
        "channel"
    )
    assert channel.findtext("link") == f"http://localhost{column.get_absolute_url()}"
    links = [item.findtext("link") for item in channel.findall("item")]
    assert absolute_url(edu, interpretation.get_absolute_url()) in links
    for link in links:
        parts = urlsplit(link)
        assert Client(HTTP_HOST=parts.hostname).get(parts.path).status_code == 200


# --- 网站地图 ----------------------------------------------------------------------------------


def _sitemap_paths(host):
    response = Client(HTTP_HOST=host).get("/sitemap.xml")
    assert response.status_code == 200
    locs = [
        loc.text for loc in ET.fromstring(response.content).iterfind("sm:url/sm:loc", SITEMAP_NS)
    ]
    assert {urlsplit(loc).netloc for loc in locs} == {host}
    paths = [urlsplit(loc).path for loc in locs]
    assert len(paths) == len(set(paths))
    return paths


ENTRY_PAGES = [
    "/",
    "/xxgk/",
    "/xxgk/guide/",
    "/xxgk/catalogue/",
    "/xxgk/annual-reports/",
    "/services/",
    "/interaction/messages/",
    "/interaction/consultations/",
    "/interaction/surveys/",
    "/interaction/interviews/",
]


@pytest.mark.parametrize("code,host", [("5201020001", "localhost"), (EDU_CODE, "edu.localhost")])
def test_sitemap_xml_lists_every_public_page_type_of_its_site_only(demo, code, host):
    site = Site.objects.get(site_code=code)
    paths = _sitemap_paths(host)
    listed = set(paths)
    assert set(ENTRY_PAGES) <= listed
    for column in site.columns.all():
        assert column.get_absolute_url() in listed
    public = {
        "articles": published_articles().filter(column__site=site),
        "service items": ServiceItem.objects.filter(site=site, is_published=True),
        "messages": published_messages(site),
        "consultations": Consultation.objects.filter(
            site=site, document__status=ArticleStatus.PUBLISHED
        ),
        "surveys": Survey.objects.filter(site=site, published_at__isnull=False),
        "interviews": Interview.objects.filter(site=site, published_at__isnull=False),
    }
    for kind, objects in public.items():
        # The demo's edu site has no messages or participation items; the portal has all.
        assert objects.exists() or code == EDU_CODE, f"the demo has no public {kind} on {host}"
        assert {o.get_absolute_url() for o in objects} <= listed, kind
    # Nothing another site owns, nothing unpublished.
    hidden = [
        *Article.objects.exclude(column__site=site),
        *Article.objects.exclude(status=ArticleStatus.PUBLISHED),
        *ServiceItem.objects.exclude(site=site, is_published=True),
        *Message.objects.exclude(pk__in=published_messages(site).values("pk")),
        *Consultation.objects.exclude(pk__in=public["consultations"].values("pk")),
        *Survey.objects.exclude(pk__in=public["surveys"].values("pk")),
        *Interview.objects.exclude(pk__in=public["interviews"].values("pk")),
    ]
    assert hidden
    assert not {o.get_absolute_url() for o in hidden} & listed
    # Nothing that depends on the visitor.
    assert not [p for p in paths if p.startswith(("/search/", "/interaction/messages/new/"))]
    assert not [p for p in paths if "/track/" in p]
    visitor = Client(HTTP_HOST=host)
    for path in paths:
        assert visitor.get(path).status_code == 200, path


def test_supervision_results_are_in_the_portal_sitemap_only(demo):
    portal_paths = _sitemap_paths("localhost")
    assert "/inspections/" in portal_paths
    assert not [p for p in _sitemap_paths("edu.localhost") if p.startswith("/inspections/")]


@pytest.mark.parametrize("host", ["localhost", "edu.localhost"])
def test_html_site_map_links_every_public_page_type(demo, host):
    visitor = Client(HTTP_HOST=host)
    hrefs = _hrefs(visitor.get("/sitemap/").content.decode())
    assert set(ENTRY_PAGES) - {"/"} <= hrefs
    assert "/sitemap.xml" in hrefs
    for path in ENTRY_PAGES:
        assert visitor.get(path).status_code == 200


def test_a_message_taken_off_the_public_list_leaves_the_cached_sitemap(
    client, demo, django_capture_on_commit_callbacks
):
    message = published_messages(demo).first()
    assert message.get_absolute_url() in _sitemap_paths("localhost")
    with django_capture_on_commit_callbacks(execute=True):
        message.is_public = False  # publication is the citizen's consent, not a state
        message.save()
    assert message.get_absolute_url() not in _sitemap_paths("localhost")


def test_mailbox_email_gives_the_tracking_page_at_the_sites_own_host(
    demo, edu, mailoutbox, django_capture_on_commit_callbacks
):
    from interaction import services

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_message(
            site=edu,
            kind="consultation",
            subject="咨询学校招生政策",
            content="请问今年的招生政策有哪些变化？",
            name="张三",
            phone="13900001111",
            email="zhangsan@example.com",
        )
    (receipt,) = [mail for mail in mailoutbox if mail.to == ["zhangsan@example.com"]]
    url = re.search(r"https?://\S+/interaction/messages/track/", receipt.body).group(0)
    assert url == "http://edu.localhost/interaction/messages/track/"
    assert Client(HTTP_HOST="edu.localhost").get(urlsplit(url).path).status_code == 200
