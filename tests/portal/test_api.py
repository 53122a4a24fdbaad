"""开放数据接口 through HTTP: only public content, per site, filters, bad input, the schema."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from jsonschema import Draft202012Validator

from publishing import services
from publishing.models import Article

from .published import column_named, publish, service_item, withdraw

pytestmark = pytest.mark.django_db

#: Fields of the models behind the API that must never be published.
PRIVATE_FIELDS = {
    "author",
    "status",
    "withdrawal_reason",
    "withdrawn_at",
    "approved_at",
    "due_at",
    "created_at",
    "importance",
    "may_stir_opinion",
    "publish_on_approval",
    "is_published",
    "email",
    "phone",
    "tracking_code",
    "password",
    "query_password",
    "cover_alt",
    "revisions",
    "review_runs",
}


def all_ids(client, path, **params):
    """Every id the endpoint lists, following the pages."""
    ids = []
    url = path
    query = {"page_size": 100, **params}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        url, query = body["next"], None
    return ids


def keys_in(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_in(item)


def test_articles_lists_only_what_the_site_shows(client, user_named):
    visible = publish("开放数据：公开信息")
    withdrawn = publish("开放数据：已撤稿")
    withdraw(withdrawn)
    expired = publish("开放数据：已过期", expires_at=timezone.now() - timedelta(minutes=1))
    liaison = user_named("edu_liaison")
    column = column_named("edu-news")
    draft = services.save_article(
        article=Article(title="开放数据：草稿", column=column, unit=column.unit, author=liaison),
        by=liaison,
    )
    other_site = publish("开放数据：教育局网站", column="news", site_code="5201020002")

    ids = all_ids(client, "/api/articles/")

    assert visible.pk in ids
    assert not {withdrawn.pk, expired.pk, draft.pk, other_site.pk} & set(ids)
    for hidden in (withdrawn, expired, draft, other_site):
        assert client.get(f"/api/articles/{hidden.pk}/").status_code == 404


def test_article_detail_has_the_body_and_no_private_field(client):
    article = publish("开放数据：详情", "正文内容。", byline="区教育局")

    body = client.get(f"/api/articles/{article.pk}/").json()

    assert body["title"] == "开放数据：详情"
    assert "正文内容" in body["body"]
    assert body["url"] == f"http://localhost/articles/{article.pk}/"
    assert not PRIVATE_FIELDS & set(keys_in(body))


def test_articles_filter_by_column_with_sub_columns_type_and_date(client):
    in_child = publish("开放数据：教育动态", column="edu-news")
    in_other = publish("开放数据：通知", column="notices")
    policy = publish("开放数据：政策", column="edu-policies", kind="policy")
    old = publish("开放数据：旧闻", column="edu-news", age=timedelta(days=100))
    parent = column_named("dept-news")

    by_column = set(all_ids(client, "/api/articles/", column=parent.pk))
    by_kind = set(all_ids(client, "/api/articles/", kind="policy"))
    since = (timezone.now() - timedelta(days=7)).isoformat()
    recent = set(all_ids(client, "/api/articles/", published_after=since))

    assert in_child.pk in by_column and old.pk in by_column
    assert in_other.pk not in by_column and policy.pk not in by_column
    assert policy.pk in by_kind and in_child.pk not in by_kind
    assert in_child.pk in recent and old.pk not in recent


def test_columns_list_the_site_tree_with_paths(client):
    rows = client.get("/api/columns/", {"page_size": 100}).json()["results"]
    by_slug = {row["slug"]: row for row in rows}

    assert by_slug["edu-news"]["path"] == "news/dept-news/edu-news"
    assert by_slug["edu-news"]["url"] == "http://localhost/columns/news/dept-news/edu-news/"
    assert by_slug["edu-news"]["unit"] == "区教育局"
    edu_columns = type(client)(HTTP_HOST="edu.localhost").get("/api/columns/").json()
    assert "edu-news" not in {row["slug"] for row in edu_columns["results"]}


def test_service_items_list_only_published_ones_with_their_guides(client):
    published = service_item("开放数据：学籍证明")
    hidden = service_item("开放数据：未发布事项", published=False)

    ids = all_ids(client, "/api/services/")
    detail = client.get(f"/api/services/{published.pk}/").json()

    assert published.pk in ids and hidden.pk not in ids
    assert client.get(f"/api/services/{hidden.pk}/").status_code == 404
    assert detail["procedure"] == ["网上申请", "现场审核"]
    assert detail["unit"] == "区教育局"


#: Message fields about the citizen or the back office: never in the open data.
PRIVATE_MESSAGE_FIELDS = {
    "name",
    "phone",
    "email",
    "submitter_ip",
    "tracking_code",
    "query_password",
    "assignee",
    "reply_drafted_by",
    "moderation_findings",
    "rating",
    "due_at",
    "status",
    "page_url",
}


def test_messages_list_only_published_answers_without_the_citizen(client, demo):
    from interaction.models import Message, MessageStatus

    answered = [MessageStatus.ANSWERED, MessageStatus.RATED, MessageStatus.CLOSED]
    public = Message.objects.filter(site=demo, is_public=True, status__in=answered)
    hidden = Message.objects.filter(site=demo).exclude(pk__in=public.values("pk"))
    assert public.exists() and hidden.exists()

    body = client.get("/api/messages/", {"page_size": 100}).json()

    assert {row["id"] for row in body["results"]} == set(public.values_list("pk", flat=True))
    assert not PRIVATE_MESSAGE_FIELDS & set(keys_in(body))
    for message in hidden:
        assert client.get(f"/api/messages/{message.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "field", "message"),
    [
        ("/api/articles/", {"column": "abc"}, "column", "输入整数"),
        ("/api/articles/", {"kind": "secret"}, "kind", "选择一个有效的选项"),
        ("/api/articles/", {"published_after": "yesterday"}, "published_after", "有效的日期"),
        ("/api/articles/", {"unit": "1 OR 1=1"}, "unit", "输入整数"),
        ("/api/columns/", {"parent": "x"}, "parent", "输入整数"),
        ("/api/columns/", {"parent": str(10**30)}, "parent", "小于或等于"),
        ("/api/services/", {"unit": "-4"}, "unit", "大于或等于"),
        ("/api/columns/", {"category": "nope"}, "category", "选择一个有效的选项"),
        ("/api/services/", {"kind": "x"}, "kind", "选择一个有效的选项"),
        ("/api/messages/", {"reply_unit": "abc"}, "reply_unit", "输入整数"),
    ],
)
def test_malformed_filters_get_400_in_chinese(client, path, params, field, message):
    response = client.get(path, params)

    assert response.status_code == 400
    assert message in response.json()[field][0]


@pytest.mark.parametrize(
    "params",
    [
        {"published_before": "9999-12-31T23:59:59-18:00"},
        {"published_after": "0001-01-01T00:00:00+18:00"},
    ],
)
def test_times_at_the_ends_of_the_calendar_filter_instead_of_failing(client, params):
    article = publish("开放数据：任何时间")

    assert article.pk in all_ids(client, "/api/articles/", **params)


@pytest.mark.parametrize("page", ["abc", "0", "99999", str(10**30)])
def test_bad_page_numbers_get_404_not_500(client, page):
    response = client.get("/api/articles/", {"page": page})

    assert response.status_code == 404
    assert response.json()["detail"] == "无效页面。"


def test_schema_is_valid_openapi_and_names_no_private_field(client):
    response = client.get("/api/schema/", {"format": "json"})
    schema = json.loads(response.content)

    validate_schema(schema)
    assert set(schema["paths"]) == {
        "/api/articles/",
        "/api/articles/{id}/",
        "/api/columns/",
        "/api/columns/{id}/",
        "/api/services/",
        "/api/services/{id}/",
        "/api/messages/",
        "/api/messages/{id}/",
    }
    properties = {
        name
        for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    }
    assert not PRIVATE_FIELDS & properties
    message_fields = set(schema["components"]["schemas"]["PublicMessage"]["properties"])
    assert not PRIVATE_MESSAGE_FIELDS & message_fields


def test_docs_are_served_from_the_site_itself(client):
    html = client.get("/api/docs/").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert "<script>" not in html.replace(" ", "")  # the start-up script is a file (CSP)
    script = next(a for a in assets if a.endswith("swagger-ui-bundle.js"))
    assert client.get(script).status_code == 200


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept on the test's connection (inside its transaction).

    Django's own test client does the same: the handler would otherwise close the
    connection at the end of each request, and with it the test's transaction.
    """
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_endpoint_answers_generated_requests_as_its_schema_says(demo, wsgi_app):
    """schemathesis: requests generated from the schema, each answer checked against it."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def answers_as_documented(case):
            case.call_and_validate()

        answers_as_documented()


# --- the answers against the API's own schema ---------------------------------------------------


def json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: nullable: true becomes "or null"."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def answer_validator(schema, path, status="200"):
    """A validator of path's GET answers, its components resolved inside the schema."""
    answer = schema["paths"][path]["get"]["responses"][status]
    root = json_schema(answer["content"]["application/json"]["schema"])
    root["components"] = json_schema(schema["components"])
    return Draft202012Validator(root)


def api_schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.parametrize("host", ["localhost", "edu.localhost"])
def test_every_endpoint_answers_real_content_as_its_own_schema_says(demo, host):
    """Every list page and every object of every endpoint, read on each demo site, is valid
    against the schema the API serves; blank links and enumerations included."""
    client = Client(HTTP_HOST=host)
    schema = api_schema(client)
    lists = [p for p in schema["paths"] if not p.endswith("{id}/")]
    assert len(lists) == 4
    seen_null_link = False
    for path in lists:
        validate_list = answer_validator(schema, path)
        validate_item = answer_validator(schema, f"{path}{{id}}/")
        url = path
        query = {"page_size": 100}
        while url:
            body = client.get(url, query).json()
            errors = [e.message for e in validate_list.iter_errors(body)]
            assert errors == [], (path, errors[:3])
            for row in body["results"]:
                item = client.get(f"{path}{row['id']}/").json()
                errors = [e.message for e in validate_item.iter_errors(item)]
                assert errors == [], (path, row["id"], errors[:3])
                seen_null_link |= item.get("source_url", "") is None
            url, query = body["next"], None
    assert seen_null_link or host != "localhost"


def test_a_blank_link_is_null_and_a_given_one_is_kept(client):
    own = publish("开放数据：原创信息")
    repost = publish(
        "开放数据：转载信息",
        origin="repost",
        source="省政府网站",
        source_url="https://www.example.gov.cn/a/1.html",
    )
    assert client.get(f"/api/articles/{own.pk}/").json()["source_url"] is None
    body = client.get(f"/api/articles/{repost.pk}/").json()
    assert body["source_url"] == "https://www.example.gov.cn/a/1.html"
    item = service_item("开放数据：无网办事项")
    assert client.get(f"/api/services/{item.pk}/").json()["online_url"] is None


def test_enumerations_are_codes_listed_in_the_schema_with_labels_beside(client, demo):
    from columns.models import ColumnCategory
    from interaction.models import MessageKind
    from publishing.models import ArticleKind, ServiceKind, Validity

    enums = api_schema(client)["components"]["schemas"]
    assert enums["MessageKindEnum"]["enum"] == MessageKind.values
    assert enums["ArticleKindEnum"]["enum"] == ArticleKind.values
    assert enums["ValidityEnum"]["enum"] == Validity.values
    checks = [
        ("/api/messages/", "kind", MessageKind),
        ("/api/articles/", "kind", ArticleKind),
        ("/api/articles/", "validity", Validity),
        ("/api/services/", "kind", ServiceKind),
        ("/api/columns/", "category", ColumnCategory),
    ]
    for path, field, choices in checks:
        rows = client.get(path, {"page_size": 100}).json()["results"]
        assert rows, path
        for row in rows:
            assert row[field] in choices.values, (path, row[field])
            assert row[f"{field}_label"] == str(choices(row[field]).label)
    message = client.get("/api/messages/").json()["results"][0]
    assert message["kind_label"] in dict(MessageKind.choices).values()
    assert message["kind"] != message["kind_label"]


def test_urls_are_absolute_at_the_owning_sites_host_and_answer_there(client, demo):
    from urllib.parse import urlsplit

    from columns.site_urls import absolute_url
    from publishing.selectors import published_articles

    hosts = set()
    for path in ("/api/articles/", "/api/columns/", "/api/services/", "/api/messages/"):
        for row in client.get(path, {"page_size": 100}).json()["results"]:
            parts = urlsplit(row["url"])
            assert parts.scheme == "http" and parts.hostname, row["url"]
            hosts.add(parts.hostname)
            assert Client(HTTP_HOST=parts.hostname).get(parts.path).status_code == 200, row["url"]
    # The portal lists edu's interpretations (extra columns): their pages are on edu's host.
    shown = published_articles(demo).exclude(column__site=demo).first()
    assert shown is not None
    row = client.get(f"/api/articles/{shown.pk}/").json()
    assert row["url"] == absolute_url(shown.column.site, shown.get_absolute_url())
    assert row["url"].startswith("http://edu.localhost/")
    assert hosts == {"localhost", "edu.localhost"}


def test_urls_take_the_scheme_from_the_settings(client, demo, settings):
    settings.SITE_SCHEME = "https"
    row = client.get("/api/columns/").json()["results"][0]
    assert row["url"].startswith("https://localhost/columns/")


def test_messages_have_one_api_the_documented_one(client, demo):
    assert client.get("/api/messages/").status_code == 200
    assert client.get("/interaction/api/messages/").status_code == 404
    paths = set(api_schema(client)["paths"])
    assert {p for p in paths if "messages" in p} == {"/api/messages/", "/api/messages/{id}/"}
