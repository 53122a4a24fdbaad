"""Each unit sees and acts on its own columns only (SPEC §2, [Q§8, Q§17]), through HTTP."""

import pytest
from django.core.exceptions import PermissionDenied

from columns.models import Column, OperationLog, StaffProfile
from columns.selectors import columns_for_user
from columns.services import assign_column, create_staff

from .conftest import EDU_COLUMNS, FIN_COLUMNS

pytestmark = pytest.mark.django_db


def assert_no_fin_column(html, unit_listed=False):
    for name in FIN_COLUMNS:
        assert name not in html
    # Forms that propose a unit to take over a column list every unit, by design.
    assert unit_listed or "区财政局" not in html


def test_liaison_column_list_shows_only_own_columns(login_as):
    html = login_as("edu_liaison").get("/admin/columns/column/").content.decode()
    for name in EDU_COLUMNS:
        assert name in html
    assert_no_fin_column(html)
    assert "新闻动态" not in html  # 区政府办公室's column


def test_liaison_search_finds_no_other_units_column(login_as):
    client = login_as("edu_liaison")
    html = client.get("/admin/columns/column/", {"q": "财政"}).content.decode()
    assert_no_fin_column(html)
    html = client.get("/admin/columns/column/", {"q": "教育"}).content.decode()
    assert "教育动态" in html


def test_liaison_autocomplete_offers_no_other_units_column(login_as, column_at):
    client = login_as("edu_liaison")
    url = "/admin/autocomplete/"
    params = {"app_label": "columns", "model_name": "columnobjection", "field_name": "column"}
    found = client.get(url, {**params, "term": "财政"}).json()["results"]
    assert found == []
    everything = client.get(url, params).json()["results"]
    names = {row["text"] for row in everything}
    assert set(EDU_COLUMNS) <= names
    assert not names & set(FIN_COLUMNS)


def test_liaison_forms_offer_no_other_units_column(login_as, column_at):
    client = login_as("edu_liaison")
    for url in ("/admin/columns/columnobjection/add/", "/admin/columns/specialtopicrequest/add/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_no_fin_column(response.content.decode(), unit_listed=True)
    # A guessed choice is refused by the form as well.
    fin_news = column_at("news/dept-news/fin-news")
    response = client.post(
        "/admin/columns/columnobjection/add/", {"column": fin_news.pk, "reason": "不归我们"}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_liaison_cannot_open_other_units_column(login_as, column_at):
    client = login_as("edu_liaison")
    fin_news = column_at("news/dept-news/fin-news")
    for suffix in ("change/", "history/", "delete/"):
        response = client.get(f"/admin/columns/column/{fin_news.pk}/{suffix}")
        assert response.status_code in (403, 404), suffix
    own = column_at("news/dept-news/edu-news")
    assert client.get(f"/admin/columns/column/{own.pk}/change/").status_code == 200


def test_liaison_cannot_assign_column_to_own_unit(
    login_as, column_at, unit_named, user_named, tree_state
):
    client = login_as("edu_liaison")
    edu = unit_named("区教育局")
    fin_news = column_at("news/dept-news/fin-news")
    own = column_at("news/dept-news/edu-news")
    before = tree_state()
    logged = OperationLog.objects.count()
    # Through the change form of a foreign column, of an own column, and the bulk action.
    for column in (fin_news, own):
        response = client.post(
            f"/admin/columns/column/{column.pk}/change/",
            {"site": column.site_id, "name": column.name, "slug": column.slug, "unit": edu.pk},
        )
        assert response.status_code in (403, 404)
    response = client.post(
        "/admin/columns/column/",
        {
            "action": "assign_to_unit",
            "_selected_action": [fin_news.pk],
            "unit": edu.pk,
            "apply": "1",
        },
    )
    assert response.status_code in (200, 302, 403)
    response = client.post(
        "/admin/columns/column/",
        {
            "cmd": "move_node",
            "cut_item": fin_news.pk,
            "pasted_on": own.pk,
            "position": "last-child",
        },
    )
    assert response.status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        assign_column(column=fin_news, unit=edu, assigned_by=user_named("edu_liaison"))
    assert tree_state() == before
    assert OperationLog.objects.count() == logged


def test_operator_sees_every_column_and_assigns_in_bulk(
    login_as, column_at, unit_named, user_named
):
    client = login_as("operator")
    html = client.get("/admin/columns/column/").content.decode()
    for name in FIN_COLUMNS + EDU_COLUMNS:
        assert name in html
    fin_news = column_at("news/dept-news/fin-news")
    fin_policies = column_at("xxgk/policies/fin-policies")
    edu = unit_named("区教育局")
    logged = OperationLog.objects.filter(action="column_assigned").count()
    response = client.post(
        "/admin/columns/column/",
        {"action": "assign_to_unit", "_selected_action": [fin_news.pk, fin_policies.pk]},
    )
    assert response.status_code == 200  # the page asking for the unit
    assert "财政动态" in response.content.decode()
    response = client.post(
        "/admin/columns/column/",
        {
            "action": "assign_to_unit",
            "_selected_action": [fin_news.pk, fin_policies.pk],
            "unit": edu.pk,
            "apply": "1",
        },
    )
    assert response.status_code == 302
    seen = columns_for_user(user_named("edu_liaison"))
    assert {fin_news, fin_policies} <= set(seen)
    assert OperationLog.objects.filter(action="column_assigned").count() == logged + 2
    html = login_as("edu_liaison").get("/admin/columns/column/").content.decode()
    assert "财政动态" in html


def test_reassignment_moves_permissions(column_at, unit_named, user_named, login_as):
    operator = user_named("operator")
    fin_policies = column_at("xxgk/policies/fin-policies")
    edu, fin = unit_named("区教育局"), unit_named("区财政局")
    fin_staff = [user_named(n) for n in ("fin_liaison", "fin_head", "fin_leader")]
    edu_staff = [user_named(n) for n in ("edu_liaison", "edu_head", "edu_leader")]
    assert all(fin_policies in columns_for_user(u) for u in fin_staff)
    assert not any(fin_policies in columns_for_user(u) for u in edu_staff)

    assign_column(column=fin_policies, unit=edu, assigned_by=operator)

    assert not any(fin_policies in columns_for_user(u) for u in fin_staff)
    assert all(fin_policies in columns_for_user(u) for u in edu_staff)
    assert (
        login_as("fin_liaison").get(f"/admin/columns/column/{fin_policies.pk}/change/").status_code
        == 404
    )
    assert (
        login_as("edu_liaison").get(f"/admin/columns/column/{fin_policies.pk}/change/").status_code
        == 200
    )
    # Both units' liaisons hear of it.
    assert user_named("fin_liaison").notifications.filter(kind="column_assigned").exists()
    assert user_named("edu_liaison").notifications.filter(kind="column_assigned").exists()
    assert fin not in {c.unit for c in columns_for_user(user_named("edu_liaison"))}


def test_children_inherit_the_owner_unless_assigned_otherwise(column_at, unit_named, user_named):
    operator = user_named("operator")
    plans = column_at("xxgk/plans")
    inherited = column_at("xxgk/plans/development-plans")
    explicit = column_at("xxgk/plans/housing-plans")
    fin, housing, gov = (
        unit_named("区财政局"),
        unit_named("区住房和城乡建设局"),
        unit_named("区政府办公室"),
    )
    assert not inherited.unit_assigned_explicitly and explicit.unit_assigned_explicitly

    assign_column(column=plans, unit=fin, assigned_by=operator)
    inherited.refresh_from_db()
    explicit.refresh_from_db()
    assert inherited.unit == fin
    assert explicit.unit == housing
    fin_sees = set(columns_for_user(user_named("fin_liaison")))
    assert {plans, inherited} <= fin_sees and explicit not in fin_sees

    # Back to inheriting: the branch follows the parent column (政府信息公开, 区政府办公室).
    assign_column(column=plans, unit=None, assigned_by=operator)
    plans.refresh_from_db()
    inherited.refresh_from_db()
    assert (plans.unit, inherited.unit, plans.unit_assigned_explicitly) == (gov, gov, False)
    assert inherited not in set(columns_for_user(user_named("fin_liaison")))


def test_staff_joining_a_unit_get_its_columns(unit_named, column_at):
    edu, fin = unit_named("区教育局"), unit_named("区财政局")
    newcomer = create_staff(
        username="edu_new", unit=edu, roles=["liaison"], password="New-Pass-2026!"
    )
    assert column_at("news/dept-news/edu-news") in columns_for_user(newcomer)
    # Moved to another unit (the staff profile in the admin): the columns follow.
    profile = StaffProfile.objects.get(user=newcomer)
    profile.unit = fin
    profile.save()
    newcomer.refresh_from_db()
    seen = set(columns_for_user(newcomer))
    assert column_at("news/dept-news/fin-news") in seen
    assert column_at("news/dept-news/edu-news") not in seen
    assert newcomer.groups.filter(name="liaison").exists()


def test_operator_editing_an_account_keeps_its_unit_columns(login_as, user_named, column_at):
    head = user_named("edu_head")
    client = login_as("operator")
    response = client.get(f"/admin/auth/user/{head.pk}/change/")
    form = response.context["adminform"].form
    assert not form.fields["groups"].queryset.filter(name__startswith="unit-").exists()
    data = {
        "username": head.username,
        "first_name": "新名字",
        "last_name": "",
        "email": head.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in head.groups.exclude(name__startswith="unit-")],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "1",
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-id": head.staff_profile.pk,
        "staff_profile-0-user": head.pk,
        "staff_profile-0-unit": head.staff_profile.unit_id,
        "staff_profile-0-phone": "",
    }
    response = client.post(f"/admin/auth/user/{head.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    head = user_named("edu_head")
    assert head.first_name == "新名字"
    assert column_at("news/dept-news/edu-news") in columns_for_user(head)


def test_inactive_account_sees_no_columns(user_named):
    liaison = user_named("edu_liaison")
    liaison.is_active = False
    assert not columns_for_user(liaison).exists()


def test_platform_roles_see_all_columns(user_named):
    total = Column.objects.count()
    assert columns_for_user(user_named("operator")).count() == total
    assert columns_for_user(user_named("inspector")).count() == total
