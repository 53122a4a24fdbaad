"""The operator's column tree: move, validate, import/export, and a list that stays cheap."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from columns.models import Column, ColumnCategory, OperationLog, Site
from columns.selectors import columns_for_user
from columns.services import assign_column, move_column

pytestmark = pytest.mark.django_db


def change_data(column, **overrides):
    """The column's change form as posted unchanged, with overrides."""
    data = {
        "site": column.site_id,
        "parent": column.parent_id or "",
        "name": column.name,
        "slug": column.slug,
        "position": column.position,
        "category": column.category,
        "unit": column.unit_id if column.unit_assigned_explicitly else "",
        "description": "",
        "keywords": "",
        "topic_starts_on": "",
        "topic_ends_on": "",
        "max_gap_days": "",
        "min_updates_per_week": "",
        "min_updates_per_month": "",
        "max_working_days_between_updates": "",
    }
    if column.on_homepage:
        data["on_homepage"] = "on"
    data.update(overrides)
    return data


def test_moving_a_column_under_its_own_descendant_is_refused(login_as, column_at, tree_state):
    news = column_at("news")
    descendant = column_at("news/dept-news/edu-news")
    before = tree_state()
    client = login_as("operator")
    response = client.post(
        f"/admin/columns/column/{news.pk}/change/", change_data(news, parent=descendant.pk)
    )
    assert response.status_code == 200
    assert "不能把栏目移到它自己或它的下级栏目之下" in response.content.decode()
    response = client.post(
        "/admin/columns/column/",
        {
            "cmd": "move_node",
            "cut_item": news.pk,
            "pasted_on": descendant.pk,
            "position": "last-child",
        },
    )
    assert response.status_code == 400
    assert tree_state() == before


def test_duplicate_slug_among_siblings_is_refused(login_as, column_at, tree_state, demo):
    news = column_at("news")
    before = tree_state()
    response = login_as("operator").post(
        "/admin/columns/column/add/",
        change_data(
            Column(site=demo, parent=news, name="另一个要闻", slug="headlines", position=9)
        ),
    )
    assert response.status_code == 200
    assert "同一上级栏目下已有栏目使用标识「headlines」" in response.content.decode()
    assert tree_state() == before
    # The same slug under another parent is fine.
    response = login_as("operator").post(
        "/admin/columns/column/add/",
        change_data(Column(site=demo, parent=column_at("xxgk"), name="要闻", slug="headlines")),
    )
    assert response.status_code == 302


def test_moving_beside_a_sibling_with_the_same_slug_is_refused(
    column_at, user_named, tree_state, demo
):
    operator = user_named("operator")
    # 通知公告 exists under 新闻动态; move another "notices" next to it.
    stray = Column.objects.create(site=demo, parent=column_at("xxgk"), name="公告", slug="notices")
    before = tree_state()
    with pytest.raises(Exception, match="已有栏目使用标识") as error:
        move_column(
            column=stray, target=column_at("news/headlines"), position="right", moved_by=operator
        )
    assert error.type.__name__ == "ValidationError"
    assert tree_state() == before


def test_operator_drags_a_column_and_it_takes_the_new_parents_unit(login_as, column_at, user_named):
    column = Column.objects.create(
        site=column_at("news").site, parent=column_at("overview"), name="临时", slug="temp"
    )
    assign_column(column=column, unit=None, assigned_by=user_named("operator"))
    target = column_at("news/dept-news/fin-news")
    response = login_as("operator").post(
        "/admin/columns/column/",
        {
            "cmd": "move_node",
            "cut_item": column.pk,
            "pasted_on": target.pk,
            "position": "last-child",
        },
    )
    assert response.status_code == 200, response.content
    column.refresh_from_db()
    assert column.parent == target
    assert column.unit.name == "区财政局"
    assert column in columns_for_user(user_named("fin_liaison"))
    assert OperationLog.objects.filter(action="column_moved", target_id=column.pk).exists()


def test_operator_edits_a_column_and_reassigns_it_in_the_form(login_as, column_at, unit_named):
    fin_news = column_at("news/dept-news/fin-news")
    health = unit_named("区卫生健康局")
    response = login_as("operator").post(
        f"/admin/columns/column/{fin_news.pk}/change/",
        change_data(fin_news, unit=health.pk, min_updates_per_week=2),
    )
    assert response.status_code == 302
    fin_news.refresh_from_db()
    assert fin_news.unit == health and fin_news.min_updates_per_week == 2


def test_column_list_filters_by_unit_and_category(login_as, unit_named):
    fin = unit_named("区财政局")
    client = login_as("operator")
    html = client.get("/admin/columns/column/", {"unit__id__exact": fin.pk}).content.decode()
    assert "财政动态" in html and "教育动态" not in html
    html = client.get("/admin/columns/column/", {"category__exact": "policy"}).content.decode()
    assert "财政政策" in html and "财政动态" not in html


def exported(client, fmt):
    response = client.get(f"/admin/columns/column/export/{fmt}/")
    assert response.status_code == 200
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def upload(client, name, content):
    return client.post("/admin/columns/column/import/", {"file": SimpleUploadedFile(name, content)})


def to_csv(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_tree_exports_as_xlsx_and_csv_and_imports_back_unchanged(login_as, tree_state):
    client = login_as("operator")
    rows = exported(client, "csv")
    assert rows[0][:3] == ["网站标识码", "路径", "名称"]
    assert ["5201020001", "news/dept-news/fin-news", "财政动态"] == rows[
        [r[1] for r in rows].index("news/dept-news/fin-news")
    ][:3]
    assert len(rows) == Column.objects.count() + 1
    assert exported(client, "xlsx")[1:] == [[cell for cell in row] for row in rows[1:]]
    before = tree_state()
    response = upload(client, "tree.csv", to_csv(rows))
    assert response.status_code == 302
    assert tree_state() == before


def test_import_creates_new_columns_parents_first(login_as, column_at, unit_named):
    client = login_as("operator")
    header = exported(client, "csv")[0]
    rows = [
        header,
        ["5201020001", "topics/sports/events", "赛事", "专题专栏", "", "", "否", "是"],
        ["5201020001", "topics/sports", "体育专题", "专题专栏", "区教育局", "5", "否", "否"],
    ]
    response = upload(client, "tree.csv", to_csv(rows))
    assert response.status_code == 302
    sports = column_at("topics/sports")
    events = column_at("topics/sports/events")
    assert sports.unit == unit_named("区教育局") and sports.unit_assigned_explicitly
    assert events.unit == sports.unit and not events.unit_assigned_explicitly
    assert events.is_special_topic


def test_import_with_a_bad_row_changes_nothing_and_names_the_rows(login_as, tree_state):
    client = login_as("operator")
    header = exported(client, "csv")[0]
    rows = [
        header,
        ["5201020001", "topics/good", "好栏目", "专题专栏"],
        ["5201020001", "topics/bad", "坏栏目", "专题专栏", "不存在的单位"],
        ["5201020001", "nowhere/orphan", "孤儿", "其他"],
        ["5201020001", "news/headlines", "要闻", "news", "", "", "", "", "", "", "30"],
    ]
    before = tree_state()
    response = upload(client, "tree.csv", to_csv(rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有导入任何内容" in html
    assert "第 3 行" in html and "不存在的单位" in html
    assert "第 4 行" in html and "nowhere" in html
    assert "第 5 行" in html and "只能更严格" in html
    assert "第 2 行" not in html
    assert tree_state() == before
    assert not Column.objects.filter(slug="good").exists()


def test_import_refuses_an_unreadable_file(login_as, tree_state):
    before = tree_state()
    response = upload(login_as("operator"), "tree.xlsx", b"not a spreadsheet")
    assert response.status_code == 200
    assert "无法读取" in response.content.decode()
    assert tree_state() == before


def test_liaison_cannot_import(login_as, tree_state):
    before = tree_state()
    response = upload(login_as("edu_liaison"), "tree.csv", b"a,b\n")
    assert response.status_code == 403
    assert tree_state() == before


def test_liaison_export_holds_only_own_columns(login_as):
    rows = exported(login_as("edu_liaison"), "csv")
    names = {row[2] for row in rows[1:]}
    assert "教育动态" in names
    assert not names & {"财政动态", "财政政策", "财政预决算", "新闻动态"}


def build_tree(site, count, tree_id):
    """A root with count children on a fresh site, inserted in bulk (tree fields by hand)."""
    root = Column.objects.create(site=site, name="根栏目", slug="root")
    Column.objects.filter(pk=root.pk).update(tree_id=tree_id, lft=1, rght=2 * count + 2)
    Column.objects.bulk_create(
        Column(
            site=site,
            parent=root,
            name=f"栏目{i:04d}",
            slug=f"c{i}",
            position=i,
            category=ColumnCategory.NEWS,
            tree_id=tree_id,
            lft=2 + 2 * i,
            rght=3 + 2 * i,
            level=1,
        )
        for i in range(count)
    )
    root.refresh_from_db()
    return root


def make_site(code):
    return Site.objects.create(
        name=f"测试站{code}",
        site_code=code,
        icp_number="x",
        police_number="x",
        sponsor="x",
        organiser="x",
    )


@pytest.mark.parametrize("username", ["operator", "edu_liaison"])
def test_column_list_query_count_is_fixed_as_the_tree_grows(
    login_as, user_named, unit_named, username, django_assert_max_num_queries
):
    operator, edu = user_named("operator"), unit_named("区教育局")
    small, large = make_site("5201020091"), make_site("5201020092")
    for site, count, tree_id in ((small, 10, 9001), (large, 1000, 9002)):
        # The liaison sees them because their unit is assigned the root, which they inherit.
        assign_column(column=build_tree(site, count, tree_id), unit=edu, assigned_by=operator)
    client = login_as(username)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/columns/column/", {"site__id__exact": small.pk})
    assert response.context["cl"].result_count == 11
    with django_assert_max_num_queries(len(queries)):
        response = client.get("/admin/columns/column/", {"site__id__exact": large.pk})
    assert response.context["cl"].result_count == 1001
    assert "栏目0999" in response.content.decode()
