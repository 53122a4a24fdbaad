"""The public shell over HTTP: homepage, site map, page tags, the page cache and its precise
invalidation, ETag/Last-Modified, and a fixed number of queries however much content grows."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from columns.models import Column
from publishing import services
from publishing.models import Article, ArticleKind, ArticleStatus, HeadlineDirective
from publishing.selectors import current_headline, published_articles

pytestmark = pytest.mark.django_db


def meta(response, name):
    match = re.search(rf'<meta name="{name}" content="([^"]*)">', response.content.decode())
    return match.group(1) if match else None


def column(slug, site_code="5201020001"):
    return Column.objects.get(site__site_code=site_code, slug=slug)


@pytest.fixture
def publish(demo, django_capture_on_commit_callbacks):
    """publish(title, column_slug, **fields) -> an article put online by the operator, with
    the after-commit signals run as in production."""
    operator = get_user_model().objects.get(username="operator")

    def make(title, column_slug="headlines", **fields):
        col = column(column_slug)
        article = Article(
            title=title,
            body=f"<p>{title}</p>",
            column=col,
            unit=col.unit,
            author=operator,
            **fields,
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.import_published(
                article=article, by=operator, published_at=timezone.now() - timedelta(minutes=1)
            )
        return article

    return make


@pytest.fixture
def withdraw(demo, django_capture_on_commit_callbacks):
    operator = get_user_model().objects.get(username="operator")

    def run(article):
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw(article=article, by=operator, reason="内容有误，撤回修改。")

    return run


# --- homepage, site map, page tags --------------------------------------------------------------


def test_homepage_shows_headline_sections_policies_with_interpretations_and_entries(client, demo):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    headline = current_headline(demo)
    assert headline is not None and headline.title in html
    for section in ("要闻", "部门动态", "通知公告", "政策文件", "政策解读"):
        assert section in html
    policy = published_articles(demo).filter(kind=ArticleKind.POLICY, title__contains="实施意见")
    interpretation = policy.first().interpretations.first()
    assert interpretation.get_absolute_url() in html
    assert "义务教育阶段新生入学登记" in html  # the service entry
    assert "/interaction/messages/new/" in html  # the interaction entry
    # Nothing unpublished: drafts and withdrawn items of the demo never show.
    assert "草稿：" not in html and "已撤稿：" not in html


def test_every_page_carries_the_site_tags(client, demo):
    for url in ("/", "/columns/news/", "/xxgk/", "/services/", "/sitemap/"):
        response = client.get(url)
        assert meta(response, "SiteName") == "示例区人民政府", url
        assert meta(response, "SiteDomain") == "localhost", url
        assert meta(response, "SiteIDCode") == "5201020001", url


def test_column_page_carries_the_column_tags(client, demo):
    response = client.get("/columns/news/notices/")
    assert meta(response, "ColumnName") == "通知公告"
    assert meta(response, "ColumnDescription")
    assert meta(response, "ColumnKeywords")
    assert meta(response, "ColumnType") == "通知公告类"


def test_article_page_carries_the_article_tags(client, publish):
    article = publish("页面标签测试信息", source="示例区融媒体中心", byline="张记者")
    response = client.get(article.get_absolute_url())
    assert meta(response, "ArticleTitle") == "页面标签测试信息"
    published = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
    assert meta(response, "PubDate") == published
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", meta(response, "PubDate"))
    assert meta(response, "ContentSource") == "示例区融媒体中心"
    assert meta(response, "Author") == "张记者"
    assert meta(response, "Keywords")
    assert meta(response, "Description") == "页面标签测试信息"
    assert meta(response, "Url") == f"http://localhost{article.get_absolute_url()}"


def test_site_map_page_lists_the_column_tree(client, demo):
    html = client.get("/sitemap/").content.decode()
    for col in Column.objects.filter(site=demo):
        assert col.get_absolute_url() in html


def test_sitemap_xml_lists_columns_and_only_published_articles(client, demo):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    assert xml.startswith("<?xml")
    for article in published_articles().filter(column__site=demo)[:20]:
        assert f"http://localhost/articles/{article.pk}/</loc>" in xml
    hidden = Article.objects.exclude(status=ArticleStatus.PUBLISHED)
    assert hidden.exists()
    for article in hidden:
        assert f"/articles/{article.pk}/</loc>" not in xml


# --- the page cache ----------------------------------------------------------------------------


def test_second_request_is_served_from_the_cache_without_a_query(client, demo):
    assert client.get("/columns/news/").headers["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/columns/news/")
    assert response.headers["X-Page-Cache"] == "hit"
    assert len(queries) == 0


def test_etag_and_last_modified_answer_conditional_requests(client, demo):
    first = client.get("/columns/news/")
    assert first["ETag"] and first["Last-Modified"]
    assert client.get("/columns/news/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    since = client.get("/columns/news/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get("/columns/news/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_publishing_refreshes_exactly_the_pages_that_show_the_article(client, publish):
    pages = ["/", "/columns/news/headlines/", "/columns/news/", "/columns/xxgk/policies/"]
    for url in pages:
        client.get(url)
    article = publish("缓存测试：新发布的要闻")
    refreshed = {url: client.get(url) for url in pages}
    # The homepage, the column and its parent show the new item at once ...
    for url in pages[:3]:
        assert refreshed[url].headers["X-Page-Cache"] == "miss", url
        assert article.title in refreshed[url].content.decode(), url
    # ... and a page that does not show it stays cached.
    assert refreshed["/columns/xxgk/policies/"].headers["X-Page-Cache"] == "hit"


def test_withdrawing_takes_the_article_off_every_cached_page(client, publish, withdraw):
    article = publish("缓存测试：将被撤回的要闻")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    assert article.title in client.get("/columns/news/headlines/").content.decode()
    withdraw(article)
    assert client.get(url).status_code == 404
    assert article.title not in client.get("/columns/news/headlines/").content.decode()
    assert article.title not in client.get("/").content.decode()


def test_editing_a_live_policy_refreshes_its_page(client, demo, django_capture_on_commit_callbacks):
    policy = published_articles(demo).filter(kind=ArticleKind.POLICY).first()
    assert "有效" in client.get(policy.get_absolute_url()).content.decode()
    operator = get_user_model().objects.get(username="operator")
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_invalid(article=policy, by=operator, validity="repealed")
    response = client.get(policy.get_absolute_url())
    assert response.headers["X-Page-Cache"] == "miss"
    assert "废止" in response.content.decode()


def test_publishing_an_interpretation_refreshes_its_policy_page(client, demo, publish):
    policy = published_articles(demo).filter(kind=ArticleKind.POLICY).first()
    client.get(policy.get_absolute_url())
    interpretation = publish(
        "缓存测试：政策解读", "interpretations", kind=ArticleKind.INTERPRETATION, policy=policy
    )
    html = client.get(policy.get_absolute_url()).content.decode()
    assert interpretation.get_absolute_url() in html


def test_headline_order_refreshes_the_homepage(client, publish, django_capture_on_commit_callbacks):
    article = publish("缓存测试：新的头条", "notices")
    client.get("/")
    operator = get_user_model().objects.get(username="operator")
    with django_capture_on_commit_callbacks(execute=True):
        services.order_headline(article=article, by=operator, site=article.column.site)
    html = client.get("/").content.decode()
    assert re.search(r'class="headline".*缓存测试：新的头条', html, re.S)
    assert HeadlineDirective.objects.filter(article=article).exists()


def test_cache_is_per_host(client, demo):
    client.get("/")
    other_host = client.get("/", HTTP_HOST="www.example.gov.cn")
    assert other_host.headers["X-Page-Cache"] == "miss"
    # Each host then answers from its own entry.
    assert client.get("/", HTTP_HOST="www.example.gov.cn").headers["X-Page-Cache"] == "hit"
    assert client.get("/").headers["X-Page-Cache"] == "hit"


# --- a fixed number of queries ------------------------------------------------------------------


def _fill(col, count):
    """count published articles in col, inserted in bulk (the arrangement, not the subject)."""
    author = get_user_model().objects.get(username="operator")
    now = timezone.now()
    Article.objects.bulk_create(
        [
            Article(
                title=f"批量信息{n}",
                column=col,
                unit=col.unit,
                author=author,
                status=ArticleStatus.PUBLISHED,
                published_at=now - timedelta(minutes=n + 1),
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def _queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_public_pages_need_the_same_queries_for_10_and_10000_articles(
    client, demo, django_assert_max_num_queries
):
    col = column("headlines")
    _fill(col, 10)
    article = Article.objects.filter(column=col, title="批量信息3").first()
    urls = [
        "/",
        "/columns/news/headlines/",
        "/columns/news/",
        article.get_absolute_url(),
        "/columns/news/headlines/rss.xml",
        "/sitemap/",
        "/xxgk/catalogue/",
    ]
    with_ten = {url: _queries(client, url) for url in urls}
    _fill(col, 9_990)
    assert published_articles().filter(column=col).count() >= 10_000
    for url in urls:
        cache.clear()
        with django_assert_max_num_queries(with_ten[url]):
            assert client.get(url).status_code == 200
    cache.clear()
    with django_assert_max_num_queries(with_ten["/columns/news/headlines/"]):
        assert client.get("/columns/news/headlines/?page=500").status_code == 200


@pytest.mark.django_db
def test_database_unreachable_answers_a_chinese_503_that_asks_to_come_back(demo, monkeypatch):
    def unreachable(site):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("portal.views.current_headline", unreachable)
    response = Client(HTTP_HOST="localhost", raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "服务暂时不可用" in response.content.decode()


@pytest.mark.django_db
def test_any_other_failure_answers_the_chinese_500(demo, monkeypatch):
    def broken(site):
        raise ValueError("a bug")

    monkeypatch.setattr("portal.views.current_headline", broken)
    response = Client(HTTP_HOST="localhost", raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "服务器出现问题" in response.content.decode()
    assert not response.has_header("Retry-After")
