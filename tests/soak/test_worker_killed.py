"""A Celery worker killed with SIGKILL in the middle of its beat tasks (SPEC §7 Nothing lost).

A real worker process on the Redis broker and PostgreSQL is killed without warning as soon as
its first output is out, and a new worker then takes the next beat tick:

- scheduled publishing alone: every due article is published exactly once — one publish
  record, one "Published" revision and one notice to its author each;
- deadline alerts and scheduled publishing at once, on two pool processes: every message
  due for a reminder or an escalation gets exactly its one alert for its deadline version,
  with exactly one notification per recipient, and every due article is published once.

What the kill leaves behind: the tasks run with acks_late, so a task killed mid-run is not
acknowledged; with the whole worker gone (no parent left to act on reject_on_worker_lost)
the message stays unacked in Redis and kombu hands it out again only after the broker's
visibility_timeout (one hour). Nothing relies on that redelivery: both tasks run on every
beat tick (alerts every 15 minutes), and the next tick picks up whatever the killed one left,
which is what these tests fire. Each alert's DeadlineAlert row, its notifications and the
message's next alert time commit in one transaction, so a kill keeps all of them or none;
a late redelivery finds the rows and sends nothing twice.

Runs under `make soak` (PORTAL_SOAK=1), not in the ordinary suite. Size: SOAK_ARTICLES
(default 120; CI's short form sets 25) and SOAK_MESSAGES (default 300).
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from columns.models import Column, Notification, OperationLog, Unit
from interaction import services as mailbox
from interaction.models import DeadlineAlert, Message
from interaction.tasks import alert_message_deadlines
from portal.celery import app
from publishing import services
from publishing.models import Article, ArticleRevision, ArticleStatus
from publishing.tasks import publish_and_expire

from .servers import portal_database_url, portal_environment

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = int(os.environ.get("SOAK_ARTICLES", "120"))
MESSAGES = int(os.environ.get("SOAK_MESSAGES", "300"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("PORTAL_SOAK"), reason="soak tests run with make soak"),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the kill test needs PostgreSQL and the Redis broker (DATABASE_URL, REDIS_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def start_worker(concurrency=1):
    """A real `celery worker` on the test database, in its own process group."""
    env = portal_environment(portal_database_url(), settings.REDIS_URL)
    env.pop("PORTAL_TESTING", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--loglevel=warning",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=soak-{os.getpid()}-{time.monotonic_ns()}@localhost",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return worker
        assert worker.poll() is None, "the worker died while starting"
    kill(worker)
    pytest.fail("no Celery worker answered within 60 s")


def kill(worker):
    """SIGKILL the worker and its pool children: no shutdown, no ack, no cleanup."""
    try:
        os.killpg(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.wait(timeout=10)


def wait_for(condition, seconds, step=0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def worker_idle():
    """The worker answers and runs no task (none running, none reserved)."""
    inspect = app.control.inspect(timeout=1)
    active, reserved = inspect.active(), inspect.reserved()
    return bool(active) and not any(active.values()) and not any((reserved or {}).values())


def schedule_articles(count):
    """Articles written, submitted and approved through the 三审 chain, scheduled for later."""
    users = get_user_model().objects
    author = users.get(username="edu_liaison")
    reviewers = [users.get(username="edu_head"), users.get(username="edu_deputy")]
    column = Column.objects.get(site__site_code="5201020001", slug="edu-news")
    later = timezone.now() + timedelta(days=1)
    pks = []
    for n in range(count):
        article = services.save_article(
            article=Article(
                title=f"定时发布压力测试第{n + 1}条",
                body=f"<p>第{n + 1}条正文。</p>",
                column=column,
                unit=column.unit,
                author=author,
                published_at=later,
            ),
            by=author,
        )
        run = services.submit(article=article, by=author)
        for reviewer in reviewers:
            run.refresh_from_db()
            services.decide(
                run=run,
                step_index=run.current_index,
                by=reviewer,
                outcome="approve",
                comment="同意。",
            )
        pks.append(article.pk)
    assert Article.objects.filter(pk__in=pks, status=ArticleStatus.SCHEDULED).count() == count
    return pks


def make_articles_due(pks):
    """The clock reaches their publish time: all are due now."""
    Article.objects.filter(pk__in=pks).update(published_at=timezone.now() - timedelta(minutes=1))


def revision_counts(pks):
    return {pk: ArticleRevision.objects.filter(article_id=pk).count() for pk in pks}


def publications(pks, revisions_before):
    """Per article: (publish records, new revisions, notices to its author) — (1, 1, 1) each."""
    after = revision_counts(pks)
    return {
        pk: (
            OperationLog.objects.filter(action="article_published", target_id=str(pk)).count(),
            after[pk] - revisions_before[pk],
            Notification.objects.filter(
                kind="article_published", url=f"/admin/publishing/article/{pk}/change/"
            ).count(),
        )
        for pk in pks
    }


def assert_published_once(outcome):
    records, revisions, notices = (set(counts) for counts in zip(*outcome.values(), strict=True))
    assert records == {1}, "each article is recorded as published exactly once"
    assert revisions == {1}, "each article has exactly one Published revision"
    assert notices == {1}, "each author is told once"


def duplicates(outcome):
    return sum(n - 1 for n, _revisions, _notices in outcome.values() if n > 1)


def test_worker_killed_mid_publishing_publishes_every_due_article_exactly_once(demo):
    pks = schedule_articles(ARTICLES)
    app.control.purge()
    make_articles_due(pks)
    published = Article.objects.filter(pk__in=pks, status=ArticleStatus.PUBLISHED)
    revisions_before = revision_counts(pks)

    worker = start_worker()
    publish_and_expire.delay()
    started = wait_for(lambda: published.exists(), seconds=120)
    kill(worker)
    at_kill = published.count()
    assert started, "the worker never began publishing"
    assert at_kill < ARTICLES, "the run ended before the kill: raise SOAK_ARTICLES"

    worker = start_worker()
    try:
        publish_and_expire.delay()  # the next beat tick
        done = wait_for(lambda: published.count() == ARTICLES, seconds=300, step=0.2)
    finally:
        kill(worker)

    outcome = publications(pks, revisions_before)
    print(
        f"\nsoak worker-kill: {ARTICLES} due, {at_kill} published before SIGKILL, "
        f"{published.count()} published after restart, duplicates {duplicates(outcome)}"
    )
    assert done, f"only {published.count()} of {ARTICLES} published after the restart"
    assert_published_once(outcome)


# --- deadline alerts and publishing together ------------------------------------------------

# Who each alert goes to in the demo, written out rather than asked of the service.
LEADERS = {"区教育局": ["edu_deputy", "edu_leader"], "区财政局": ["fin_deputy", "fin_leader"]}
DISPATCHERS = ["dispatcher"]
# One message in five each: a reminder to the assignee, an escalation to the unit's leaders,
# an escalation of a second deadline version after an approved extension, a reminder in
# another unit, an escalation of a message never routed (to the dispatcher).
CASES = [
    ("区教育局", "reminder", False),
    ("区教育局", "overdue", False),
    ("区财政局", "overdue", True),
    ("区财政局", "reminder", False),
    (None, "overdue", False),
]


def open_messages(site, count):
    """Citizens' messages submitted, routed and (some) extended through the services, then
    the clock moved on with a queryset update: each is due for its reminder or escalation.
    Returns their primary keys."""
    users = get_user_model().objects
    dispatcher = users.get(username="dispatcher")
    units = {name: Unit.objects.get(name=name) for name in LEADERS}
    now = timezone.now()
    cases = {}  # pk: its case
    for n in range(count):
        unit, kind, extended = CASES[n % len(CASES)]
        message, _password = mailbox.submit_message(
            site=site,
            kind="consultation",
            subject=f"期限提醒压力测试第{n + 1}条",
            content="请问办理进度如何？",
            name="张三",
            phone="13900001111",
            email="zhangsan@example.com",
        )
        if unit is not None:
            message = mailbox.route(message=message, by=dispatcher, unit=units[unit])
        if extended:
            extension = mailbox.request_extension(
                message=message, by=message.assignee, working_days=3, reason="需会商"
            )
            mailbox.decide_extension(extension=extension, by=dispatcher, approve=True)
        cases[message.pk] = (unit, kind, extended)
    for kind, due_at in (
        ("reminder", now + timedelta(days=1)),
        ("overdue", now - timedelta(hours=1)),
    ):
        pks = [pk for pk, case in cases.items() if case[1] == kind]
        remind_at = min(due_at - timedelta(days=1), now - timedelta(hours=1))
        Message.objects.filter(pk__in=pks).update(
            due_at=due_at, remind_at=remind_at, next_alert_at=remind_at
        )
    return list(cases)


def expected_alerts(pks, now):
    """From each message's state: the one alert it is owed now, and who must hear of it."""
    expected = {}
    for message in Message.objects.filter(pk__in=pks).select_related("unit", "assignee"):
        assert message.next_alert_at <= now, "the message is due for an alert"
        overdue = now > message.due_at
        if message.unit is None:
            recipients = DISPATCHERS
        elif overdue:
            recipients = LEADERS[message.unit.name] + DISPATCHERS
        else:
            recipients = [message.assignee.username]
        kind = "overdue" if overdue else "reminder"
        expected[message.pk] = (kind, message.deadline_version, sorted(recipients))
    return expected


def alerts_sent(pks):
    """Per message: its DeadlineAlert rows and its alert notifications as they are."""
    sent = {pk: ([], []) for pk in pks}
    for message_id, kind, version, recipients in DeadlineAlert.objects.filter(
        message_id__in=pks
    ).values_list("message_id", "kind", "deadline_version", "recipients"):
        sent[message_id][0].append((kind, version, sorted(recipients)))
    urls = {f"/admin/interaction/message/{pk}/change/": pk for pk in pks}
    for url, kind, key, username in Notification.objects.filter(
        kind__in=["message_reminder", "message_overdue"], url__in=urls
    ).values_list("url", "kind", "key", "recipient__username"):
        sent[urls[url]][1].append((kind, key, username))
    return sent


def test_worker_killed_mid_alerts_and_publishing_sends_and_publishes_each_once(demo):
    Message.objects.update(next_alert_at=None)  # the demo's own alerts are not this test's
    messages = open_messages(demo, MESSAGES)
    articles = schedule_articles(ARTICLES)
    app.control.purge()
    make_articles_due(articles)
    expected = expected_alerts(messages, timezone.now())
    assert {kind for kind, _version, _recipients in expected.values()} == {"reminder", "overdue"}
    assert {version for _kind, version, _recipients in expected.values()} == {1, 2}
    alerts = DeadlineAlert.objects.filter(message_id__in=messages)
    published = Article.objects.filter(pk__in=articles, status=ArticleStatus.PUBLISHED)
    revisions_before = revision_counts(articles)

    # One worker, two pool processes: the beat tick's two tasks run side by side.
    worker = start_worker(concurrency=2)
    alert_message_deadlines.delay()
    publish_and_expire.delay()
    started = wait_for(lambda: alerts.exists() and published.exists(), seconds=120)
    kill(worker)
    alerts_at_kill, published_at_kill = alerts.count(), published.count()
    assert started, f"at the kill {alerts_at_kill} alerts, {published_at_kill} articles were out"
    assert alerts_at_kill < MESSAGES, "the alerts ended before the kill: raise SOAK_MESSAGES"
    assert published_at_kill < ARTICLES, "publishing ended before the kill: raise SOAK_ARTICLES"

    worker = start_worker(concurrency=2)
    try:
        alert_message_deadlines.delay()  # the next beat tick
        publish_and_expire.delay()
        done = wait_for(
            lambda: (
                published.count() == ARTICLES
                and not Message.objects.filter(
                    pk__in=messages, next_alert_at__lte=timezone.now()
                ).exists()
            ),
            seconds=300,
            step=0.2,
        )
        idle = wait_for(worker_idle, seconds=60, step=0.2)
    finally:
        kill(worker)

    sent = alerts_sent(messages)
    want = {
        pk: (
            [(kind, version, recipients)],
            sorted((f"message_{kind}", f"message:{pk}:{kind}:v{version}", r) for r in recipients),
        )
        for pk, (kind, version, recipients) in expected.items()
    }
    got = {pk: (sorted(rows), sorted(notes)) for pk, (rows, notes) in sent.items()}
    wrong = {pk: (want[pk], got[pk]) for pk in messages if got[pk] != want[pk]}
    extra = sum(
        max(len(got[pk][0]) - 1, 0) + max(len(got[pk][1]) - len(want[pk][1]), 0) for pk in messages
    )
    outcome = publications(articles, revisions_before)
    print(
        f"\nsoak worker-kill: alerts expected {len(expected)}, sent {alerts.count()}, "
        f"duplicates {extra}; articles due {ARTICLES}, published {published.count()}, "
        f"duplicates {duplicates(outcome)} "
        f"(at SIGKILL {alerts_at_kill} alerts, {published_at_kill} articles out; "
        f"notifications expected {sum(len(n) for _a, n in want.values())}, "
        f"sent {sum(len(n) for _a, n in got.values())})"
    )
    assert done, f"{published.count()} of {ARTICLES} published, {alerts.count()} alerts sent"
    assert idle, "the worker was still busy"
    assert not wrong, f"{len(wrong)} messages with wrong alerts, e.g. {next(iter(wrong.items()))}"
    assert_published_once(outcome)
