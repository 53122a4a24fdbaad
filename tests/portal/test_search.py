"""站内搜索 through /search/: Chinese words, ranking, only public items, filters, bad input."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from portal.models import SearchEntry, SearchSource
from publishing import services
from publishing.models import Article, ArticleKind, ServiceItem
from publishing.selectors import published_articles
from tests.publishing.conftest import approve_all

from .published import column_named, publish, service_item, withdraw

pytestmark = pytest.mark.django_db


def result_titles(response):
    """The titles of the results list, in order, without highlight markup."""
    html = response.content.decode()
    listing = html.split('class="search-count"', 1)[-1]
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r'class="search-title">(.*?)</a>', listing, re.S)
    ]


def test_finds_a_chinese_article_by_a_word_inside_a_compound(client):
    publish("区教育局发布新学年招生安排", "全区义务教育阶段学校秋季学期招生工作于九月启动。")

    response = client.get("/search/", {"q": "义务教育"})

    assert response.status_code == 200
    # The demo's 义务教育改革 topic is found too; the word is only in this article's body.
    assert "区教育局发布新学年招生安排" in result_titles(response)
    assert "全区<mark>义务教育</mark>阶段" in response.content.decode()


def test_a_word_not_in_any_document_finds_nothing_and_says_so(client):
    publish("区教育局发布新学年招生安排", "全区义务教育阶段学校秋季学期招生工作于九月启动。")

    response = client.get("/search/", {"q": "量子计算"})

    assert response.status_code == 200
    assert result_titles(response) == []
    assert "没有与“量子计算”相关的信息" in response.content.decode()


def test_title_hits_rank_before_body_hits(client):
    # The body hit is newer and names the words more often; the title hit still comes first.
    title_hit = publish("托育补贴政策问答", "申请条件和流程。", age=timedelta(days=30))
    body_hit = publish("全区民生工作会议召开", "会议部署托育补贴、托育补贴发放和托育补贴监管。")

    titles = result_titles(client.get("/search/", {"q": "托育补贴"}))

    assert titles.index(title_hit.title) < titles.index(body_hit.title)


def test_every_word_of_the_query_must_match(client):
    publish("城乡居民医保缴费通知", "2027年度城乡居民基本医疗保险开始缴费。")
    publish("城乡道路改造计划", "改造城乡道路二十公里。")

    titles = result_titles(client.get("/search/", {"q": "城乡 医疗保险"}))

    assert titles == ["城乡居民医保缴费通知"]


def test_unpublished_withdrawn_expired_and_scheduled_items_are_never_found(client, user_named):
    liaison = user_named("edu_liaison")
    column = column_named("edu-news")
    draft = Article(title="草稿：校园食品安全检查", column=column, unit=column.unit, author=liaison)
    services.save_article(article=draft, by=liaison)
    in_review = Article(
        title="审核中：校园食品安全检查", column=column, unit=column.unit, author=liaison
    )
    services.save_article(article=in_review, by=liaison)
    services.submit(article=in_review, by=liaison)
    withdrawn = publish("已撤稿：校园食品安全检查")
    withdraw(withdrawn)
    publish("已过期：校园食品安全检查", expires_at=timezone.now() - timedelta(minutes=1))
    visible = publish("公开：校园食品安全检查")

    titles = result_titles(client.get("/search/", {"q": "食品安全"}))

    assert titles == [visible.title]


def test_the_index_follows_publication_and_withdrawal(client, user_named):
    liaison = user_named("edu_liaison")
    column = column_named("edu-news")
    article = Article(
        title="秋季学期中小学开学安排",
        body="<p>各中小学九月一日开学。</p>",
        column=column,
        unit=column.unit,
        author=liaison,
    )
    services.save_article(article=article, by=liaison)
    assert result_titles(client.get("/search/", {"q": "开学"})) == []

    with TestCase.captureOnCommitCallbacks(execute=True):
        approve_all(article)  # the default chain publishes on the last approval

    assert result_titles(client.get("/search/", {"q": "开学"})) == [article.title]
    assert (
        SearchEntry.objects.filter(source=SearchSource.ARTICLE, object_id=article.pk).count() == 1
    )

    withdraw(article)

    assert result_titles(client.get("/search/", {"q": "开学"})) == []
    assert not SearchEntry.objects.filter(source=SearchSource.ARTICLE, object_id=article.pk)


def test_an_article_is_found_on_every_site_that_shows_it(client):
    shared = publish("教育局新学期安全提示", "注意交通安全。")
    shared.extra_columns.add(column_named("news", site_code="5201020002"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    publish("本站专有：交通安全宣传周", "交通安全。")

    edu_client = type(client)(HTTP_HOST="edu.localhost")
    assert result_titles(edu_client.get("/search/", {"q": "交通安全"})) == [shared.title]
    assert len(result_titles(client.get("/search/", {"q": "交通安全"}))) == 2


def test_rebuild_command_makes_the_index_from_what_is_public(client):
    article = publish("防汛应急预案发布", "做好汛期防汛准备。")
    SearchEntry.objects.all().delete()
    assert result_titles(client.get("/search/", {"q": "防汛"})) == []

    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))

    assert result_titles(client.get("/search/", {"q": "防汛"})) == [article.title]
    public = published_articles().count() + ServiceItem.objects.filter(is_published=True).count()
    assert SearchEntry.objects.values("source", "object_id").distinct().count() == public


def test_filters_by_column_including_its_sub_columns(client):
    publish("教育动态：控辍保学", "控辍保学工作。", column="edu-news")
    publish("通知：控辍保学督查", "控辍保学督查。", column="notices", age=timedelta(days=2))
    parent = column_named("dept-news")  # 部门动态, the parent of 教育动态

    titles = result_titles(client.get("/search/", {"q": "控辍保学", "column": parent.pk}))

    assert titles == ["教育动态：控辍保学"]


def test_filters_by_type_and_by_date(client):
    publish("关于规范课后服务的通知", "课后服务收费标准。", column="edu-policies", kind="policy")
    publish("课后服务开展情况", "课后服务覆盖全部学校。", age=timedelta(days=40))
    today = timezone.localdate()

    by_kind = result_titles(client.get("/search/", {"q": "课后服务", "kind": ArticleKind.POLICY}))
    recent = result_titles(
        client.get(
            "/search/",
            {"q": "课后服务", "published_from": (today - timedelta(days=7)).isoformat()},
        )
    )
    old = result_titles(
        client.get(
            "/search/",
            {"q": "课后服务", "published_until": (today - timedelta(days=30)).isoformat()},
        )
    )

    # Only this test's two items are compared: the demo may hold other 课后服务 items.
    mine = {"关于规范课后服务的通知", "课后服务开展情况"}
    assert mine & set(by_kind) == {"关于规范课后服务的通知"}
    assert mine & set(recent) == {"关于规范课后服务的通知"}
    assert mine & set(old) == {"课后服务开展情况"}


def test_dates_at_the_ends_of_the_calendar_limit_nothing(client):
    article = publish("节能减排通报", "节能减排。")

    response = client.get(
        "/search/",
        {"q": "节能减排", "published_from": "0001-01-01", "published_until": "9999-12-31"},
    )

    assert response.status_code == 200
    assert article.title in result_titles(response)


def test_snippets_are_escaped_and_highlighted(client):
    publish(
        "<script>alert(1)</script>垃圾分类通知",
        "垃圾分类 &lt;img src=x onerror=alert(1)&gt; 宣传。",
    )

    html = client.get("/search/", {"q": "垃圾分类"}).content.decode()

    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>垃圾分类</mark>通知" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_results_are_paginated(client):
    for number in range(12):
        publish(f"网格化管理简报第{number + 1}期", "网格化管理。", age=timedelta(hours=number + 1))

    first = client.get("/search/", {"q": "网格化"})
    second = client.get("/search/", {"q": "网格化", "page": 2})

    assert len(result_titles(first)) == 10
    assert len(result_titles(second)) == 2
    assert "第 1 / 2 页" in first.content.decode()
    assert 'href="?q=%E7%BD%91%E6%A0%BC%E5%8C%96&amp;page=2"' in first.content.decode()


def test_empty_search_shows_the_form_and_no_error(client):
    first_visit = client.get("/search/")
    blank = client.get("/search/", {"q": "  "})
    punctuation = client.get("/search/", {"q": "，。！"})

    assert first_visit.status_code == blank.status_code == punctuation.status_code == 200
    assert 'role="search"' in first_visit.content.decode()
    assert "请输入至少一个词" in punctuation.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "教" * 10_000}, "搜索词太长"),
        ({"q": "教育", "page": "abc"}, "页码必须是整数"),
        ({"q": "教育", "page": "0"}, "页码必须大于或等于 1"),
        ({"q": "教育", "column": "999999"}, "本网站没有这个栏目"),
        ({"q": "教育", "column": str(10**30)}, "本网站没有这个栏目"),
        ({"q": "教育", "column": "x'; drop table"}, "本网站没有这个栏目"),
        ({"q": "教育", "kind": "secret"}, "没有这种信息类型"),
        ({"q": "教育", "published_from": "2026-13-45"}, "请按 YYYY-MM-DD 格式填写日期"),
        (
            {"q": "教育", "published_from": "2026-06-01", "published_until": "2026-05-01"},
            "结束日期不能早于开始日期",
        ),
    ],
)
def test_bad_input_gets_a_clear_400_page_in_chinese(client, params, message):
    entries_before = SearchEntry.objects.count()

    response = client.get("/search/", params)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert SearchEntry.objects.count() == entries_before


def test_a_column_of_another_site_is_refused(client):
    other_site_column = column_named("news", site_code="5201020002")

    response = client.get("/search/", {"q": "教育", "column": other_site_column.pk})

    assert response.status_code == 400
    assert "本网站没有这个栏目" in response.content.decode()


def test_a_page_past_the_last_is_a_404_page_in_chinese(client):
    publish("单页结果", "唯一结果。")

    response = client.get("/search/", {"q": "唯一", "page": 5})

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_matching_service_items_are_shown_before_everything_else(client):
    publish("转学政策解读", "小学生转学办理流程说明。")
    item = service_item("小学生转学申请", summary="义务教育阶段学生转学。")

    html = client.get("/search/", {"q": "转学"}).content.decode()

    services_box = html.index('class="card search-services"')
    item_link = html.index(f'href="{item.get_absolute_url()}"')
    assert services_box < item_link < html.index('class="search-count"')
    assert result_titles(client.get("/search/", {"q": "转学"})) == ["转学政策解读"]
    only_services = client.get("/search/", {"q": "转学", "kind": "service"})
    assert result_titles(only_services) == [item.name]


def test_the_index_follows_service_items_being_published_unpublished_and_deleted(client):
    item = service_item("残疾学生送教上门申请", published=False)
    assert result_titles(client.get("/search/", {"q": "送教上门", "kind": "service"})) == []

    item.is_published = True
    item.save()
    assert result_titles(client.get("/search/", {"q": "送教上门", "kind": "service"})) == [
        item.name
    ]

    item.is_published = False
    item.save()
    assert result_titles(client.get("/search/", {"q": "送教上门", "kind": "service"})) == []

    item.is_published = True
    item.save()
    item.delete()
    assert not SearchEntry.objects.filter(source=SearchSource.SERVICE_ITEM, object_id=item.pk)


def test_a_word_in_very_many_documents_is_counted_up_to_a_limit(client, monkeypatch):
    from portal.search import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 5)
    for number in range(7):
        publish(f"河长制巡河记录第{number + 1}号", "河长制。", age=timedelta(hours=number + 1))

    response = client.get("/search/", {"q": "河长制"})

    assert "超过 5 条" in response.content.decode()
    assert len(result_titles(response)) == 5


def test_one_character_finds_every_item_containing_it(client):
    income_tax = publish("个人所得税专项附加扣除填报指南", "按年度填报。")
    refund = publish("出口企业申报指南", "办理出口退税需提交的材料。")
    finance = publish("区财政预算执行情况公告", "全年预算执行平稳。")
    unrelated = publish("秋季运动会圆满落幕", "各校师生参加比赛。")
    mine = {income_tax.title, refund.title, finance.title, unrelated.title}

    tax = client.get("/search/", {"q": "税"})
    money = result_titles(client.get("/search/", {"q": "财"}))

    assert mine & set(result_titles(tax)) == {income_tax.title, refund.title}
    assert mine & set(money) == {finance.title}
    assert "个人所得<mark>税</mark>专项附加扣除填报指南" in tax.content.decode()
    assert "办理出口退<mark>税</mark>需提交的材料" in tax.content.decode()


def test_one_character_ranks_title_hits_first_then_the_newest(client):
    old_title = publish("税收优惠政策汇编", "汇编说明。", age=timedelta(days=60))
    new_title = publish("减税降费落实情况", "情况通报。", age=timedelta(days=2))
    newest_body = publish("营商环境简报", "本月办理退税二十件。", age=timedelta(minutes=5))
    mine = [old_title.title, new_title.title, newest_body.title]

    titles = [t for t in result_titles(client.get("/search/", {"q": "税"})) if t in mine]

    assert titles == [new_title.title, old_title.title, newest_body.title]


def test_a_short_word_is_found_however_jieba_cut_the_document(client):
    # jieba cuts the document into 公 / 租房, so 公租 is none of its words.
    rental = publish("公租房申请条件公布", "符合条件的家庭可申请。")
    publish("公开招聘工作人员", "招聘岗位及租房补贴说明。")

    short = result_titles(client.get("/search/", {"q": "公租"}))
    whole = client.get("/search/", {"q": "公租房"})

    assert short == [rental.title]
    # 公 is kept with its neighbour: 公开 … 租房 elsewhere in a document is not 公租房.
    assert result_titles(whole) == [rental.title]
    assert "<mark>公租房</mark>申请条件公布" in whole.content.decode()


def test_entries_indexed_before_the_upgrade_are_found_by_one_character(client):
    import importlib

    from django.apps import apps

    article = publish("契税缴纳通知", "按规定缴纳。")
    before = SearchEntry.objects.get(source=SearchSource.ARTICLE, object_id=article.pk)
    # What the indexer stored before characters were indexed: jieba's words only.
    SearchEntry.objects.filter(pk=before.pk).update(title_terms="契税 缴纳 通知")
    assert article.title not in result_titles(client.get("/search/", {"q": "税"}))

    migration = importlib.import_module("portal.migrations.0004_index_chinese_characters")
    migration.segment_again(apps, None)

    assert article.title in result_titles(client.get("/search/", {"q": "税"}))
    assert "税" in SearchEntry.objects.get(pk=before.pk).title_terms.split()
