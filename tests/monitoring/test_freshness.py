"""栏目更新检查: states at the right moments, blank columns, alerts once per change, the
command, and a fixed number of queries whatever the number of columns."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from columns.models import Notification
from monitoring import freshness, tasks
from monitoring.models import ColumnFreshness, FreshnessSnapshot, FreshnessState

from .factories import instant, make_column, publish_in

pytestmark = pytest.mark.django_db

T0 = instant(2026, 3, 2, 9)  # a Monday


def state_of(column):
    return ColumnFreshness.objects.get(column=column).state


def run_check():
    """The hourly Celery task, run for real in this process."""
    return tasks.check_freshness.apply().get()


@pytest.mark.parametrize(
    ("category", "gap_days"),
    [("news", 14), ("notice", 183), ("policy", 183), ("personnel", 365), ("other", 365)],
)
def test_column_crosses_warning_and_stale_at_its_categorys_moments(demo, clock, category, gap_days):
    column = make_column(demo, f"c-{category}", category=category)
    clock.set(T0)
    publish_in(column, T0)
    gap = timedelta(days=gap_days)

    moments = [
        (gap * 0.8 - timedelta(minutes=1), FreshnessState.OK),
        (gap * 0.8 + timedelta(minutes=1), FreshnessState.WARNING),
        (gap - timedelta(minutes=1), FreshnessState.WARNING),
        (gap + timedelta(minutes=1), FreshnessState.STALE),
    ]
    for offset, expected in moments:
        clock.set(T0 + offset)
        run_check()
        assert state_of(column) == expected, offset


def test_local_stricter_rule_wins_over_the_category(demo, clock):
    column = make_column(demo, "strict", category="notice", max_gap_days=10)
    clock.set(T0)
    publish_in(column, T0)

    clock.set(T0 + timedelta(days=7, hours=23))
    run_check()
    assert state_of(column) == FreshnessState.OK
    clock.set(T0 + timedelta(days=8, hours=1))
    run_check()
    assert state_of(column) == FreshnessState.WARNING
    clock.set(T0 + timedelta(days=10, minutes=1))
    run_check()
    assert state_of(column) == FreshnessState.STALE
    assert ColumnFreshness.objects.get(column=column).max_gap_days == 10


def test_working_day_rule_counts_only_working_days(demo, clock):
    # 5 working days at most: published Friday, the next Friday is the 5th working day.
    column = make_column(demo, "homepage-rhythm", max_working_days_between_updates=5)
    friday = instant(2026, 3, 6, 9)
    clock.set(friday)
    publish_in(column, friday)
    clock.set(friday + timedelta(days=3))  # Monday: 1 working day of 5
    run_check()
    assert state_of(column) == FreshnessState.OK
    clock.set(friday + timedelta(days=6))  # Thursday: 4 of 5 (80%) is not yet past 80%
    run_check()
    assert state_of(column) == FreshnessState.OK
    clock.set(friday + timedelta(days=7))  # Friday: 5 of 5
    run_check()
    assert state_of(column) == FreshnessState.WARNING
    clock.set(friday + timedelta(days=10))  # Monday: 6 of 5, though only 10 calendar days
    run_check()
    assert state_of(column) == FreshnessState.STALE


def test_blank_columns_are_counted_and_a_branch_with_content_is_not_blank(demo, clock):
    clock.set(T0)
    parent = make_column(demo, "branch", category="other")
    child = make_column(demo, "leaf", category="other", parent=parent)
    empty = make_column(demo, "empty", category="other")
    publish_in(child, T0 - timedelta(days=1))
    before = freshness.measure(demo).counts()["blank"]

    run_check()

    assert state_of(parent) == FreshnessState.OK
    assert state_of(child) == FreshnessState.OK
    assert state_of(empty) == FreshnessState.BLANK
    snapshot = FreshnessSnapshot.objects.get(site=demo, unit__isnull=True, taken_on=T0.date())
    assert snapshot.blank == before >= 1
    edu = empty.unit
    unit_snapshot = FreshnessSnapshot.objects.get(site=demo, unit=edu, taken_on=T0.date())
    assert (
        unit_snapshot.blank
        == ColumnFreshness.objects.filter(
            column__site=demo, column__unit=edu, state=FreshnessState.BLANK
        ).count()
    )


def alerts_for(column):
    return Notification.objects.filter(kind="column_freshness", title__contains=column.name)


def test_alerts_go_to_the_unit_once_per_state_change(demo, clock, user_named):
    column = make_column(demo, "alerted", max_gap_days=10)
    clock.set(T0)
    publish_in(column, T0)
    run_check()
    assert not alerts_for(column).exists()

    clock.set(T0 + timedelta(days=9))
    run_check()
    run_check()  # the hourly task again, or redelivered: nothing new
    assert alerts_for(column).count() == 1
    alert = alerts_for(column).get()
    assert alert.recipient == user_named("edu_liaison")

    clock.set(T0 + timedelta(days=11))
    run_check()
    run_check()
    assert alerts_for(column).count() == 2

    publish_in(column, T0 + timedelta(days=11, hours=1), title="新的信息")
    clock.set(T0 + timedelta(days=11, hours=2))
    run_check()
    assert state_of(column) == FreshnessState.OK
    assert alerts_for(column).count() == 2  # getting better is not alerted

    clock.set(T0 + timedelta(days=20, hours=2))
    run_check()
    assert alerts_for(column).count() == 3  # due again: a new change, a new alert


def test_homepage_rhythm_and_updates_per_week_and_month(demo, clock):
    clock.set(T0)
    column = make_column(demo, "home-news", on_homepage=True)
    for days_ago in (0, 1, 3, 10):
        publish_in(column, T0 - timedelta(days=days_ago, hours=-1), title=f"信息{days_ago}")
    result = freshness.measure(demo, at=T0 + timedelta(hours=2))
    row = next(r for r in result.columns if r.column == column)
    assert row.updates_week == 1  # Monday 10:00 only; Sunday and earlier are last week
    assert row.updates_month == 2  # 1 and 2 March; 27 February is last month
    assert result.homepage_state == FreshnessState.OK
    assert result.homepage_last_update == T0 + timedelta(hours=1)


def test_check_freshness_command_prints_json_for_one_site(demo, clock):
    clock.set(T0)
    column = make_column(demo, "cmd", max_gap_days=5)
    publish_in(column, T0 - timedelta(days=6))
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

    call_command("check_freshness", "--site", demo.site_code, "--json", stdout=Sink())
    data = json.loads("".join(out))
    assert [d["site"] for d in data] == [demo.site_code]
    row = next(c for c in data[0]["columns"] if c["id"] == column.pk)
    assert row["state"] == "stale" and row["max_gap_days"] == 5
    assert state_of(column) == FreshnessState.STALE


def test_check_freshness_command_refuses_an_unknown_site(demo):
    checked = list(ColumnFreshness.objects.values_list("pk", "checked_at"))
    with pytest.raises(CommandError, match="没有标识码为 9999999999 的网站"):
        call_command("check_freshness", "--site", "9999999999")
    assert list(ColumnFreshness.objects.values_list("pk", "checked_at")) == checked


def test_check_reads_a_site_in_the_same_number_of_queries_whatever_its_columns(demo, clock):
    clock.set(T0)
    freshness.check_site(demo)  # first run stores every state

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            freshness.check_site(demo)
        return len(ctx.captured_queries)

    before = queries()
    for number in range(30):
        column = make_column(demo, f"many-{number}", category="other")
        publish_in(column, T0 - timedelta(days=number + 1))
    freshness.check_site(demo)  # the new columns' first states
    assert queries() == before
