"""链接检查 against a local web server with known good, broken, redirecting and slow links:
exactly the broken ones are reported, each traced to its article, column and unit; bad
input is a finding, never a crash."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from columns.models import Site
from monitoring import crawler, tasks
from monitoring.models import BrokenLink, LinkCheckRun

from .factories import make_column, publish_in, unit
from .local_web import LocalWeb

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick(settings):
    settings.MONITORING_HTTP_TIMEOUT = 2


@pytest.fixture
def site(demo):
    """A sub-site of its own, so only this test's articles are its published pages."""
    site = Site.objects.create(
        name="测试局网站",
        parent=demo,
        site_code="5201020099",
        icp_number="黔ICP备05001234号-9",
        police_number="黔公网安备 52010202000199号",
        sponsor="示例区测试局",
        organiser="示例区大数据发展管理中心",
    )
    return site


def frame(site, content, *, footer=True):
    """A page as the portal frames it: navigation, content, footer."""
    foot = (
        f"<footer>网站标识码{site.site_code} {site.icp_number} {site.police_number} "
        f"主办单位：{site.sponsor} <a href='/errors/'>我为政府网站找错</a> "
        f"<a href='/sitemap/'>网站地图</a></footer>"
        if footer
        else ""
    )
    return (
        "<html><body><nav><a href='/'>首页</a> <a href='/about/'>概况</a></nav>"
        f"<main>{content}</main>{foot}</body></html>"
    )


@pytest.fixture
def web(site, quick, settings):
    # Links leaving the site are requested only at public addresses; "other" is vouched for.
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with LocalWeb() as web, LocalWeb() as other:
        # "other" is an external host that never answers within the timeout.
        other.page("/hang", "late", delay=4)
        web.external = f"{other.url}/hang"
        web.page("/about/", frame(site, "<p>概况</p>"))
        web.page("/errors/", frame(site, "<p>找错</p>"))
        web.page("/sitemap/", frame(site, "<p>网站地图</p>"))
        web.page("/good", "<p>ok</p>")
        web.page("/slow", "<p>slow but in time</p>", delay=1)
        web.redirect("/redirect", "/good")
        web.redirect("/redirect-broken", "/moved-away")
        web.page("/files/doc.pdf", "%PDF-1.4", content_type="application/pdf")
        yield web


def test_crawl_reports_exactly_the_broken_links_each_traced_to_its_owner(site, web):
    column = make_column(site, "news", unit_key="edu")
    other_column = make_column(site, "notices", category="notice", unit_key="fin")
    first = publish_in(
        column,
        title="含各种链接的信息",
        body=(
            '<p><a href="/good">好链接</a> <a href="/redirect">跳转</a> '
            '<a href="/slow">慢链接</a> <a href="/files/doc.pdf">附件</a> '
            '<a href="/missing.pdf">缺失附件</a> '
            f'<a href="{web.external}">不响应的外部链接</a></p>'
        ),
    )
    second = publish_in(
        other_column,
        title="另一单位的信息",
        body=(
            '<p><a href="/files/doc.pdf">同一附件</a> '
            '<a href="/redirect-broken">跳到不存在的页面</a></p>'
        ),
    )
    for article in (first, second):
        web.page(f"/articles/{article.pk}/", frame(site, article.body))
    web.page(
        "/",
        frame(
            site,
            f'<form role="search" action="/search/"><input name="q"></form>'
            f'<a href="/articles/{first.pk}/">{first.title}</a> '
            f'<a href="/articles/{second.pk}/">{second.title}</a> '
            '<a href="/gone/">已删除的专题</a> <a href="http://[bad-address/">格式错误的链接</a> '
            '<a href="mailto:zfb@example.gov.cn">邮件</a>',
        ),
    )

    tasks_run = crawler.crawl_site(site, base_url=f"{web.url}/")

    run = LinkCheckRun.objects.get(pk=tasks_run.pk)
    found = {
        (link.page_url.removeprefix(web.url), link.url.removeprefix(web.url)): link
        for link in BrokenLink.objects.filter(run=run)
    }
    assert set(found) == {
        ("/", "/gone/"),
        ("/", "http://[bad-address/"),
        (f"/articles/{first.pk}/", "/missing.pdf"),
        (f"/articles/{first.pk}/", web.external),
        (f"/articles/{second.pk}/", "/redirect-broken"),
    }
    missing = found[(f"/articles/{first.pk}/", "/missing.pdf")]
    assert (missing.article, missing.column, missing.unit) == (first, column, unit("edu"))
    assert missing.status_code == 404 and not missing.on_homepage
    hang = found[(f"/articles/{first.pk}/", web.external)]
    assert hang.external and "2" in hang.problem and hang.unit == unit("edu")
    moved = found[(f"/articles/{second.pk}/", "/redirect-broken")]
    assert (moved.article, moved.column, moved.unit) == (second, other_column, unit("fin"))
    assert found[("/", "/gone/")].on_homepage and found[("/", "/gone/")].unit is None
    assert found[("/", "http://[bad-address/")].problem == "格式错误的链接"
    assert (run.broken_on_homepage, run.broken_elsewhere) == (2, 3)
    assert run.homepage_has_search is True and run.footer_missing == []
    # Each URL fetched once in the run, however many pages link to it.
    assert web.hits["/files/doc.pdf"] == 1 and web.hits["/about/"] == 1


def test_an_unreachable_site_is_a_finding_and_the_crawl_ends_normally(site, quick):
    column = make_column(site, "news")
    article = publish_in(column)

    run = crawler.crawl_site(site, base_url="http://127.0.0.1:9/")

    assert run.finished_at is not None
    links = {link.url: link for link in run.broken_links.all()}
    assert set(links) == {"http://127.0.0.1:9/", f"http://127.0.0.1:9/articles/{article.pk}/"}
    page = links[f"http://127.0.0.1:9/articles/{article.pk}/"]
    assert page.article == article and page.unit == article.unit
    assert "无法连接" in page.problem


def test_homepage_without_search_or_footer_items_is_recorded(site, web):
    web.page("/", "<html><body><p>只有正文的首页</p></body></html>")
    run = crawler.crawl_site(site, base_url=f"{web.url}/")
    assert run.homepage_has_search is False
    assert len(run.footer_missing) == 6


def test_nightly_task_crawls_every_open_site_without_stopping(demo, site, settings, quick):
    settings.MONITORING_CRAWL_MAX_PAGES = 3
    # Nothing answers on the demo host names here: every site is a finding, none an error.
    result = tasks.crawl_links.apply().get()
    assert set(result) == set(Site.objects.filter(status="open").values_list("pk", flat=True))
    assert all(count >= 1 for count in result.values())


def test_crawl_links_command_prints_findings(site, web):
    web.page("/", frame(site, '<a href="/gone/">坏链接</a>'))
    out = StringIO()
    call_command(
        "crawl_links", "--site", site.site_code, "--base-url", f"{web.url}/", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert [b["url"] for b in data[0]["broken"]] == [f"{web.url}/gone/"]


def test_links_to_the_platforms_other_sites_are_checked_where_the_sites_are_served(
    site, quick, settings
):
    """A page links to another site of the platform at that site's host (edu.localhost): it
    is requested at the sites' address like the site's own pages, not refused as a private
    address of the open web; only the missing page is reported."""
    from publishing.selectors import published_articles

    settings.OUTBOUND_ALLOWED_NETWORKS = []
    edu_article = published_articles().filter(column__site__site_code="5201020002").first()
    good = f"http://edu.localhost{edu_article.get_absolute_url()}"
    missing = "http://edu.localhost/articles/99999999/"
    with LocalWeb() as web:
        settings.MONITORING_SITE_ADDRESS = web.url.removeprefix("http://")
        web.page(edu_article.get_absolute_url(), "<p>教育局的信息</p>")
        web.page("/", frame(site, f'<a href="{good}">教育局的信息</a> <a href="{missing}">旧</a>'))
        for path in ("/about/", "/errors/", "/sitemap/"):
            web.page(path, frame(site, "<p>页面</p>"))
        run = crawler.crawl_site(site, base_url=f"{web.url}/")
    found = {link.url: link for link in BrokenLink.objects.filter(run=run)}
    assert set(found) == {missing}
    assert found[missing].status_code == 404
