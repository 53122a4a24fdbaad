"""Helpers for the column tests: columns by path, the state that bad input must not change."""

import pytest

from columns.models import Column, ColumnGroupObjectPermission, ColumnObjection, Unit

#: Columns of 区财政局 in the demo portal; edu_liaison must never see one of them.
FIN_COLUMNS = ["财政动态", "财政政策", "财政预决算"]
EDU_COLUMNS = ["教育动态", "教育政策", "义务教育改革"]


@pytest.fixture
def column_at(demo):
    """column_at("news/dept-news/fin-news") -> that column of the demo portal."""

    def find(path, site=None):
        column = None
        for slug in path.split("/"):
            column = Column.objects.get(site=site or demo, parent=column, slug=slug)
        return column

    return find


@pytest.fixture
def unit_named(demo):
    return lambda name: Unit.objects.get(name=name)


@pytest.fixture
def tree_state(demo):
    """A snapshot of everything ownership decides, to assert bad input changed nothing."""

    def snapshot():
        return (
            list(
                Column.objects.order_by("pk").values_list(
                    "pk", "parent_id", "slug", "unit_id", "unit_assigned_explicitly", "lft", "rght"
                )
            ),
            sorted(
                ColumnGroupObjectPermission.objects.values_list(
                    "content_object_id", "group_id", "permission_id"
                )
            ),
            ColumnObjection.objects.count(),
        )

    return snapshot
