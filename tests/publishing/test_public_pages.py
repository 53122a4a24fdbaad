"""Publishing's public pages over HTTP: columns, articles, 信息公开, RSS, and bad input."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model

from columns.models import Column, Unit
from publishing import services
from publishing.models import Article, ArticleKind, ArticleStatus
from publishing.selectors import published_articles

pytestmark = pytest.mark.django_db


def _policy_with_interpretation(site):
    return (
        published_articles(site)
        .filter(kind=ArticleKind.POLICY, interpretations__status=ArticleStatus.PUBLISHED)
        .first()
    )


# --- column pages ----------------------------------------------------------------------------


def test_column_page_lists_its_and_its_sub_columns_published_items(client, demo):
    html = client.get("/columns/news/dept-news/").content.decode()
    edu_news = Column.objects.get(site=demo, slug="edu-news")
    for article in published_articles().filter(column=edu_news)[:5]:
        assert article.title in html
    for article in Article.objects.filter(column=edu_news).exclude(status="published"):
        assert article.get_absolute_url() not in html


def test_column_page_paginates(client, demo, settings):
    import publishing.views

    original, publishing.views.PAGE_SIZE = publishing.views.PAGE_SIZE, 2
    try:
        first = client.get("/columns/news/").content.decode()
        second = client.get("/columns/news/?page=2").content.decode()
    finally:
        publishing.views.PAGE_SIZE = original
    assert "第 1 页" in first and 'rel="next"' in first
    assert 'rel="prev"' in second


@pytest.mark.parametrize(
    "url",
    ["/columns/no-such-column/", "/columns/news/no-such-child/", "/columns/edu-news/"],
)
def test_unknown_column_path_is_a_chinese_404(client, demo, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "栏目" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "1.5", "%00", "第二页"])
def test_page_number_that_is_not_a_number_is_a_chinese_400(client, demo, page):
    response = client.get(f"/columns/news/?page={page}")
    assert response.status_code == 400
    assert "页码必须是整数" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "9999", "9" * 30])
def test_page_number_out_of_range_is_a_chinese_404(client, demo, page):
    response = client.get(f"/columns/news/?page={page}")
    assert response.status_code == 404
    assert "没有第" in response.content.decode()


# --- article pages ---------------------------------------------------------------------------


def test_policy_page_shows_its_metadata_attachments_and_interpretations(client, demo):
    policy = _policy_with_interpretation(demo)
    html = client.get(policy.get_absolute_url()).content.decode()
    for label, value in [
        ("索引号", policy.index_number),
        ("发布机构", policy.issuing_body),
        ("文号", policy.document_number),
        ("成文日期", policy.written_on.strftime("%Y-%m-%d")),
        ("有效性", "有效"),
        ("发布日期", None),
        ("信息来源", None),
    ]:
        assert label in html
        if value:
            assert value in html
    attachment = policy.attachments.first()
    assert attachment is not None and attachment.file.url in html
    for interpretation in policy.interpretations.filter(status=ArticleStatus.PUBLISHED):
        assert interpretation.get_absolute_url() in html


def test_interpretation_page_links_back_to_its_policy(client, demo):
    policy = _policy_with_interpretation(demo)
    interpretation = policy.interpretations.filter(status=ArticleStatus.PUBLISHED).first()
    html = client.get(interpretation.get_absolute_url()).content.decode()
    assert policy.get_absolute_url() in html
    assert f"《{policy.title}》" in html


def test_article_page_has_a_local_qr_code_print_view_and_font_switch(client, demo):
    article = published_articles(demo).first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<svg" in html and "二维码" in html
    assert f"/articles/{article.pk}/print/" in html
    assert 'data-font="font-large"' in html
    printed = client.get(f"/articles/{article.pk}/print/")
    assert printed.status_code == 200
    assert article.title in printed.content.decode()
    assert "site-nav" not in printed.content.decode()


def test_unpublished_or_other_sites_articles_are_404(client, demo):
    draft = Article.objects.filter(status=ArticleStatus.DRAFT).first()
    withdrawn = Article.objects.filter(status=ArticleStatus.WITHDRAWN).first()
    for article in (draft, withdrawn):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
        assert "不存在或已不再发布" in response.content.decode()
    edu_only = published_articles().filter(column__site__site_code="5201020002")
    edu_only = edu_only.exclude(extra_columns__site=demo).first()
    assert client.get(edu_only.get_absolute_url()).status_code == 404
    assert client.get(edu_only.get_absolute_url(), HTTP_HOST="edu.localhost").status_code == 200
    assert client.get("/articles/99999999/").status_code == 404
    assert client.get("/articles/abc/").status_code == 404


# --- 政府信息公开 ---------------------------------------------------------------------------------


def test_catalogue_lists_index_numbered_items_and_filters_them(client, demo):
    items = published_articles(demo).filter(index_number__isnull=False)
    html = client.get("/xxgk/catalogue/").content.decode()
    for item in items[:10]:
        assert item.index_number in html
    fin = Unit.objects.get(org_code="009401003")
    by_unit = client.get(f"/xxgk/catalogue/?unit={fin.pk}").content.decode()
    assert all(i.index_number in by_unit for i in items.filter(unit=fin)[:10])
    assert not any(i.index_number in by_unit for i in items.exclude(unit=fin))
    year = items.first().index_number.split("/")[1][:4]
    assert (
        items.first().index_number in client.get(f"/xxgk/catalogue/?year={year}").content.decode()
    )
    assert "没有符合条件的文件" in client.get("/xxgk/catalogue/?year=1990").content.decode()
    by_category = client.get("/xxgk/catalogue/?category=news").content.decode()
    assert "没有符合条件的文件" in by_category


@pytest.mark.parametrize(
    "query, message",
    [
        ("unit=abc", "请从列表中选择单位"),
        ("year=20x6", "年份应为四位数字"),
        ("year=12", "年份应为四位数字"),
        ("category=<script>", "请从列表中选择类别"),
        ("page=two", "页码必须是整数"),
    ],
)
def test_catalogue_bad_filters_are_a_chinese_400(client, demo, query, message):
    response = client.get(f"/xxgk/catalogue/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_disclosure_guide_and_annual_reports(client, demo):
    guide = client.get("/xxgk/guide/").content.decode()
    assert "政府信息公开指南" in guide and "区教育局" in guide
    reports = client.get("/xxgk/annual-reports/").content.decode()
    column = Column.objects.get(site=demo, slug="annual-reports")
    for article in published_articles().filter(column=column):
        assert article.get_absolute_url() in reports


# --- RSS -------------------------------------------------------------------------------------


def test_column_feed_is_valid_rss_of_published_items(client, demo):
    response = client.get("/columns/news/rss.xml")
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    assert "新闻动态" in channel.findtext("title")
    links = [item.findtext("link") for item in channel.findall("item")]
    assert links
    published = {f"http://localhost{a.get_absolute_url()}" for a in published_articles()}
    assert set(links) <= published
    assert client.get("/columns/no-such/rss.xml").status_code == 404


def test_withdrawn_article_leaves_the_feed(client, demo, django_capture_on_commit_callbacks):
    operator = get_user_model().objects.get(username="operator")
    article = published_articles(demo).filter(column__slug="headlines").first()
    assert article.get_absolute_url() in client.get("/columns/news/rss.xml").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(article=article, by=operator, reason="测试撤稿")
    assert article.get_absolute_url() not in client.get("/columns/news/rss.xml").content.decode()
