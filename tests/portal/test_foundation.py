"""The platform's shell: split deployment, host resolution, footer, health check, demo."""

import importlib

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import clear_url_caches

from columns.models import Column, Site, Unit


@pytest.fixture
def portal_role(settings):
    def set_role(role):
        settings.PORTAL_ROLE = role
        import portal.urls

        importlib.reload(portal.urls)
        clear_url_caches()

    yield set_role
    set_role("all")


@pytest.mark.django_db
def test_public_role_serves_no_admin(portal_role, client, demo):
    portal_role("public")
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


@pytest.mark.django_db
def test_admin_role_serves_no_public_pages(portal_role, client, demo):
    portal_role("admin")
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/").status_code == 404


@pytest.mark.django_db
def test_all_role_serves_both(portal_role, client, demo):
    portal_role("all")
    assert client.get("/").status_code == 200
    assert client.get("/admin/login/").status_code == 200


def test_unknown_portal_role_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_ROLE", "everything")
    import portal.settings

    with pytest.raises(ValueError, match="PORTAL_ROLE"):
        importlib.reload(portal.settings)
    monkeypatch.delenv("PORTAL_ROLE")
    importlib.reload(portal.settings)


@pytest.mark.django_db
def test_site_is_chosen_from_host_header(demo):
    portal = Client(HTTP_HOST="www.example.gov.cn").get("/")
    edu = Client(HTTP_HOST="edu.localhost").get("/")
    assert portal.status_code == edu.status_code == 200
    assert portal.context["site"].name == "示例区人民政府"
    assert edu.context["site"].name == "示例区教育局"


@pytest.mark.django_db
def test_host_with_port_and_case_resolves(demo):
    response = Client(HTTP_HOST="LOCALHOST:8000").get("/")
    assert response.status_code == 200
    assert response.context["site"].site_code == "5201020001"


@pytest.mark.django_db
def test_unknown_host_gets_clear_404_page(demo):
    response = Client(HTTP_HOST="nowhere.example.org").get("/")
    assert response.status_code == 404
    assert "nowhere.example.org" in response.content.decode()
    assert "网站不存在" in response.content.decode()


@pytest.mark.django_db
def test_new_host_name_answers_at_once(demo):
    """The host map is cached; adding a host name must not wait for the cache to expire."""
    assert Client(HTTP_HOST="gov.example.cn").get("/").status_code == 404
    Site.objects.get(site_code="5201020001").hosts.create(hostname="gov.example.cn")
    assert Client(HTTP_HOST="gov.example.cn").get("/").status_code == 200


@pytest.mark.django_db
def test_footer_shows_every_required_item(client, demo):
    html = client.get("/").content.decode()
    for expected in [
        "conac.svg",  # 党政机关网站标识
        "/interaction/messages/new/?type=site_error",  # 我为政府网站找错
        "5201020001",  # 网站标识码
        "黔ICP备05001234号",
        "黔公网安备 52010202000123号",
        "police.svg",
        "示例区人民政府办公室",  # 主办单位
        "0851-88880000",
        "zfb@example.gov.cn",
        'href="/sitemap/"',
    ]:
        assert expected in html, expected


@pytest.mark.django_db
def test_page_head_carries_national_site_tags(client, demo):
    html = client.get("/").content.decode()
    assert '<meta name="SiteName" content="示例区人民政府">' in html
    assert '<meta name="SiteDomain" content="localhost">' in html
    assert '<meta name="SiteIDCode" content="5201020001">' in html


@pytest.mark.django_db
def test_interface_is_simplified_chinese(client, demo):
    response = Client(HTTP_HOST="nowhere.example.org").get("/")
    assert "网站不存在" in response.content.decode()
    # The page's language is the one served (BCP 47 zh-Hans), as the header says.
    assert response.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_broker(client):
    response = Client(HTTP_HOST="anything.internal").get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert {"database", "cache", "broker"} <= set(body["checks"])
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_demo_is_idempotent(demo):
    counts = (Site.objects.count(), Unit.objects.count(), Column.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Site.objects.count(), Unit.objects.count(), Column.objects.count()) == counts


@pytest.mark.django_db
def test_demo_has_units_columns_and_accounts(demo):
    names = set(Unit.objects.values_list("name", flat=True))
    assert {
        "区政府办公室",
        "区教育局",
        "区财政局",
        "区卫生健康局",
        "区住房和城乡建设局",
        "区大数据中心",
    } <= names
    assert Column.objects.filter(site=demo).count() >= 30
    categories = set(Column.objects.values_list("category", flat=True))
    assert {
        "news",
        "notice",
        "policy",
        "personnel",
        "planning",
        "overview",
        "interaction",
        "service",
        "topic",
    } <= categories
    assert Site.objects.filter(parent=demo).exists()
