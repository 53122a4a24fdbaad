"""A Celery worker killed with SIGKILL in the middle of scheduled publishing (SPEC §7 Nothing lost).

A real worker process on the Redis broker and PostgreSQL publishes a batch of due articles;
as soon as the first is out it is killed without warning. A new worker then takes the next
beat tick, and every due article must be published exactly once: one publish record, one
"Published" revision and one notice to its author each — however the kill fell.

Runs under `make soak` (PORTAL_SOAK=1), not in the ordinary suite. Size: SOAK_ARTICLES
(default 120; CI's short form sets 25).
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

from columns.models import Column, Notification, OperationLog
from portal.celery import app
from publishing import services
from publishing.models import Article, ArticleRevision, ArticleStatus
from publishing.tasks import publish_and_expire

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = int(os.environ.get("SOAK_ARTICLES", "120"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("PORTAL_SOAK"), reason="soak tests run with make soak"),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the kill test needs PostgreSQL and the Redis broker (DATABASE_URL, REDIS_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def start_worker():
    """A real `celery worker` on the test database, in its own process group."""
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=(
            f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        REDIS_URL=settings.REDIS_URL,
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
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
            "--concurrency=1",
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


def revision_counts(pks):
    return {pk: ArticleRevision.objects.filter(article_id=pk).count() for pk in pks}


def test_worker_killed_mid_publishing_publishes_every_due_article_exactly_once(demo):
    pks = schedule_articles(ARTICLES)
    app.control.purge()
    # The clock reaches their publish time: all are due now.
    Article.objects.filter(pk__in=pks).update(published_at=timezone.now() - timedelta(minutes=1))
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

    records = {
        pk: OperationLog.objects.filter(action="article_published", target_id=str(pk)).count()
        for pk in pks
    }
    after = revision_counts(pks)
    revisions = {pk: after[pk] - revisions_before[pk] for pk in pks}
    notices = {
        pk: Notification.objects.filter(
            kind="article_published", url=f"/admin/publishing/article/{pk}/change/"
        ).count()
        for pk in pks
    }
    print(
        f"\nsoak worker-kill: {ARTICLES} due, {at_kill} published before SIGKILL, "
        f"{published.count()} published after restart, duplicates "
        f"{sum(n - 1 for n in records.values() if n > 1)}"
    )
    assert done, f"only {published.count()} of {ARTICLES} published after the restart"
    assert set(records.values()) == {1}, "each article is recorded as published exactly once"
    assert set(revisions.values()) == {1}, "each article has exactly one Published revision"
    assert set(notices.values()) == {1}, "each author is told once"
