"""办事服务 on the public site and in the admin: guides as tables, materials, downloads,
only published items, and each unit keeping only its own items."""

import pytest

from columns.models import Unit
from publishing.models import ServiceItem

pytestmark = pytest.mark.django_db


def _item(demo, name="义务教育阶段新生入学登记"):
    return ServiceItem.objects.get(site=demo, name=name)


def test_catalogue_lists_published_items_by_unit(client, demo):
    html = client.get("/services/").content.decode()
    for item in ServiceItem.objects.filter(site=demo, is_published=True):
        assert item.get_absolute_url() in html
        assert item.unit.name in html


def test_guide_shows_the_tables_materials_and_downloads(client, demo):
    item = _item(demo)
    html = client.get(item.get_absolute_url()).content.decode()
    for label in (
        "设定依据",
        "受理条件",
        "办理流程",
        "办理时限",
        "收费标准",
        "办理地点",
        "咨询电话",
    ):
        assert label in html
    for label in ("材料名称", "依据", "材料形式", "份数", "签字盖章要求"):
        assert label in html
    for material in item.materials.all():
        assert material.name in html and material.get_endorsement_display() in html
    kinds = {document.get_kind_display() for document in item.documents.all()}
    assert kinds == {"空白表格", "填写说明", "示例样表"}
    for document in item.documents.all():
        assert document.file.url in html


def test_unpublished_or_other_sites_items_are_404(client, demo):
    item = _item(demo)
    item.is_published = False
    item.save()
    response = client.get(item.get_absolute_url())
    assert response.status_code == 404
    assert "不存在或未发布" in response.content.decode()
    assert item.get_absolute_url() not in client.get("/services/").content.decode()
    edu_item = ServiceItem.objects.exclude(site=demo).first()
    assert client.get(edu_item.get_absolute_url()).status_code == 404
    assert client.get(edu_item.get_absolute_url(), HTTP_HOST="edu.localhost").status_code == 200


def test_editing_an_item_refreshes_its_cached_guide(
    client, demo, django_capture_on_commit_callbacks
):
    item = _item(demo)
    client.get(item.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        item.time_limit = "即时办结"
        item.save()
    assert "即时办结" in client.get(item.get_absolute_url()).content.decode()


def test_bad_unit_filter_is_a_chinese_400(client, demo):
    response = client.get("/services/?unit=教育局")
    assert response.status_code == 400
    assert "请从列表中选择单位" in response.content.decode()


def test_liaison_sees_and_opens_only_their_units_items_in_the_admin(login_as, demo):
    edu = login_as("edu_liaison")
    listing = edu.get("/admin/publishing/serviceitem/").content.decode()
    assert "教师资格认定" in listing
    assert "建筑工程施工许可证核发" not in listing
    housing_item = ServiceItem.objects.get(name="建筑工程施工许可证核发")
    assert edu.get(f"/admin/publishing/serviceitem/{housing_item.pk}/change/").status_code == 404
    own = _item(demo)
    assert edu.get(f"/admin/publishing/serviceitem/{own.pk}/change/").status_code == 200


def test_liaison_cannot_file_an_item_under_another_unit(login_as, demo):
    edu = login_as("edu_liaison")
    housing = Unit.objects.get(org_code="009401005")
    before = ServiceItem.objects.count()
    response = edu.post(
        "/admin/publishing/serviceitem/add/",
        {
            "site": demo.pk,
            "unit": housing.pk,
            "name": "冒名事项",
            "kind": "other",
            "legal_basis": "无",
            "conditions": "无",
            "procedure": "无",
            "time_limit": "1日",
            "fees": "不收费",
            "office": "无",
            "contact": "0",
            "position": 0,
            "materials-TOTAL_FORMS": 0,
            "materials-INITIAL_FORMS": 0,
            "documents-TOTAL_FORMS": 0,
            "documents-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "选择一个有效的选项" in response.content.decode()
    assert ServiceItem.objects.count() == before
