"""栏目更新检查: states at the right moments, blank columns, alerts once per change, the
command, every site at once with each its own verdicts, and a fixed number of queries whatever
the number of columns or of sites."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from columns.models import Column, Notification, Site
from monitoring import freshness, tasks
from monitoring.models import ColumnFreshness, FreshnessSnapshot, FreshnessState

from .factories import instant, make_column, publish_in, unit

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
    before = freshness.measure([demo])[0].counts()["blank"]

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
    (result,) = freshness.measure([demo], at=T0 + timedelta(hours=2))
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


# --- every site at once -------------------------------------------------------------------


def make_site(number):
    return Site.objects.create(
        name=f"更新检查测试网站{number}",
        site_code=f"52010299{number:02d}",
        icp_number="黔ICP备00000000号",
        police_number="52010202000000",
        sponsor="测试单位",
        organiser="测试单位",
    )


def mixed_sites():
    """Two sites whose columns are fresh, due, late, blank, special topics in and out of
    their dates, a branch judged on its sub-columns, too few updates last week, a working-day
    rule and a mailbox; the same slugs on both, with other dates, so that one site's figures
    cannot pass for the other's."""
    first, second = make_site(1), make_site(2)
    publish_in(make_column(first, "fresh", on_homepage=True), T0 - timedelta(hours=1))
    publish_in(make_column(first, "due", unit_key="fin"), T0 - timedelta(days=12))
    publish_in(make_column(first, "late"), T0 - timedelta(days=20))
    make_column(first, "empty", category="other")
    ended = make_column(
        first, "ended-topic", is_special_topic=True, topic_starts_on=date(2026, 1, 1)
    )
    ended.topic_ends_on = date(2026, 2, 1)
    ended.save()
    publish_in(ended, instant(2026, 1, 10, 9))
    make_column(first, "future-topic", is_special_topic=True, topic_starts_on=date(2026, 4, 1))
    running = make_column(
        first,
        "running-topic",
        is_special_topic=True,
        topic_starts_on=date(2026, 2, 1),
        topic_ends_on=date(2026, 4, 30),
    )
    publish_in(running, T0 - timedelta(days=20))
    branch = make_column(first, "branch", category="other")
    leaf = make_column(first, "leaf", parent=branch)
    publish_in(leaf, T0 - timedelta(hours=2))
    publish_in(leaf, T0 - timedelta(days=3), title="上周信息")
    make_column(first, "quiet", category="other", parent=branch)
    below = make_column(first, "below", unit_key="fin", min_updates_per_week=2)
    publish_in(below, T0 - timedelta(days=3))  # Friday: one item last week, two wanted
    rhythm = make_column(first, "rhythm", category="other", max_working_days_between_updates=3)
    # Thursday: Friday, Saturday 28 February (a make-up working day, 调休) and Monday: 3 of 3.
    publish_in(rhythm, T0 - timedelta(days=4))
    publish_in(make_column(second, "fresh", on_homepage=True), T0 - timedelta(days=15))
    publish_in(make_column(second, "late"), T0 - timedelta(days=1))  # Sunday: last week
    make_column(second, "mailbox", category="interaction")
    return first, second


def verdicts(result):
    return {
        r.column.slug: (
            r.state,
            r.last_published_at,
            r.updates_week,
            r.updates_month,
            r.below_minimum,
        )
        for r in result.columns
    }


def test_check_all_gives_each_site_the_verdicts_of_its_own_columns(demo, clock):
    clock.set(T0)
    first, second = mixed_sites()
    S = FreshnessState

    results = {r.site: r for r in freshness.check_all()}

    hour, two_hours = T0 - timedelta(hours=1), T0 - timedelta(hours=2)
    assert verdicts(results[first]) == {
        "fresh": (S.OK, hour, 1, 1, False),
        "due": (S.WARNING, T0 - timedelta(days=12), 0, 0, False),
        "late": (S.STALE, T0 - timedelta(days=20), 0, 0, False),
        "empty": (S.BLANK, None, 0, 0, False),
        "running-topic": (S.STALE, T0 - timedelta(days=20), 0, 0, False),
        "branch": (S.OK, two_hours, 1, 1, False),
        "leaf": (S.OK, two_hours, 1, 1, False),
        "quiet": (S.BLANK, None, 0, 0, False),
        "below": (S.WARNING, T0 - timedelta(days=3), 0, 0, True),
        "rhythm": (S.WARNING, T0 - timedelta(days=4), 0, 0, False),
    }
    assert verdicts(results[second]) == {
        "fresh": (S.STALE, T0 - timedelta(days=15), 0, 0, False),
        "late": (S.OK, T0 - timedelta(days=1), 0, 1, False),
    }
    assert (results[first].homepage_state, results[first].homepage_last_update) == (S.OK, hour)
    assert results[second].homepage_state == S.STALE
    assert results[first].counts() == {
        "columns": 10,
        "ok": 3,
        "warning": 3,
        "stale": 2,
        "blank": 2,
        "updates_week": 2,
        "updates_month": 2,
    }
    snapshots = {
        (s.site_id, s.unit_id): s
        for s in FreshnessSnapshot.objects.filter(site__in=[first, second], taken_on=T0.date())
    }
    assert set(snapshots) == {
        (first.pk, None),
        (first.pk, unit("edu").pk),
        (first.pk, unit("fin").pk),
        (second.pk, None),
        (second.pk, unit("edu").pk),
    }
    fin = snapshots[first.pk, unit("fin").pk]
    assert (fin.columns, fin.warning, fin.ok) == (2, 2, 0)
    assert snapshots[second.pk, None].homepage_state == S.STALE
    stored = dict(
        ColumnFreshness.objects.filter(column__site__in=[first, second]).values_list(
            "column__slug", "state"
        )
    )
    assert "ended-topic" not in stored and "future-topic" not in stored
    assert "mailbox" not in stored


def alerted(sites):
    """{(liaison, column)} of the freshness alerts about the columns of sites."""
    columns = {c.pk: c for c in Column.objects.filter(site__in=sites)}
    pairs = set()
    for username, key in Notification.objects.filter(kind="column_freshness").values_list(
        "recipient__username", "key"
    ):
        column = columns.get(int(key.split(":")[1]))
        if column:
            pairs.add((username, (column.site.site_code, column.slug)))
    return pairs


def test_check_all_alerts_each_columns_liaisons_once_per_turn(demo, clock):
    clock.set(T0)
    first, second = mixed_sites()

    freshness.check_all()

    a, b = first.site_code, second.site_code
    assert alerted([first, second]) == {
        ("fin_liaison", (a, "due")),
        ("fin_liaison", (a, "below")),
        ("edu_liaison", (a, "late")),
        ("edu_liaison", (a, "empty")),
        ("edu_liaison", (a, "running-topic")),
        ("edu_liaison", (a, "quiet")),
        ("edu_liaison", (a, "rhythm")),
        ("edu_liaison", (b, "fresh")),
    }
    sent = Notification.objects.count()
    freshness.check_all()
    clock.set(T0 + timedelta(hours=1))
    freshness.check_all()
    assert Notification.objects.count() == sent


def sites_turning_stale(count, first_number):
    """count new sites, each with a homepage column of one unit, a branch of another and a
    blank column: up to date at T0, late 15 days later."""
    sites = []
    for number in range(first_number, first_number + count):
        site = make_site(number)
        publish_in(make_column(site, "news", on_homepage=True), T0 - timedelta(hours=1))
        branch = make_column(site, "finance", unit_key="fin")
        publish_in(make_column(site, "budget", unit_key="fin", parent=branch), T0)
        make_column(site, "blank", category="other")
        sites.append(site)
    return sites


def queries_of_the_check_where_columns_turn_late(clock, sites):
    """Only sites open: their first check at T0, then the counted one 15 days later, when
    their columns turn late and their units are alerted."""
    Site.objects.exclude(pk__in=[s.pk for s in sites]).update(status=Site.Status.CLOSED)
    clock.set(T0)
    freshness.check_all()
    clock.set(T0 + timedelta(days=15))
    sent = Notification.objects.filter(kind="column_freshness").count()
    with CaptureQueriesContext(connection) as ctx:
        results = freshness.check_all()
    assert sorted(r.site.pk for r in results) == sorted(s.pk for s in sites)
    assert all(r.counts()["stale"] == 3 for r in results)
    assert Notification.objects.filter(kind="column_freshness").count() == sent + 3 * len(sites)
    return len(ctx.captured_queries)


def test_check_all_takes_the_same_number_of_queries_for_two_sites_as_for_five(demo, clock):
    clock.set(T0)
    two = queries_of_the_check_where_columns_turn_late(clock, sites_turning_stale(2, 10))
    clock.set(T0)
    five = queries_of_the_check_where_columns_turn_late(clock, sites_turning_stale(5, 20))
    assert two == five
