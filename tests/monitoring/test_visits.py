"""访问量: public page visits counted without a database write per request, flushed by the
beat task into one row per page and day, idempotently."""

import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring import tasks, visits
from monitoring.models import PageVisitDay

pytestmark = pytest.mark.django_db


def writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "monitoring_" in q["sql"]
    ]


def test_visits_are_counted_in_the_cache_and_flushed_once_per_page_and_day(demo, client):
    with CaptureQueriesContext(connection) as ctx:
        for _i in range(3):
            assert client.get("/").status_code == 200
    assert writes(ctx.captured_queries) == []
    assert not PageVisitDay.objects.filter(site=demo).exclude(day__lt=timezone.localdate()).exists()

    tasks.flush_visits.apply().get()
    tasks.flush_visits.apply().get()  # twice: the running total is set, never added
    row = PageVisitDay.objects.get(site=demo, path="/", day=timezone.localdate())
    assert row.visits == 3

    client.get("/")
    client.get("/", HTTP_HOST="www.example.gov.cn")  # another host name of the same site
    tasks.flush_visits.apply().get()
    row.refresh_from_db()
    assert row.visits == 5


def test_article_page_visits_belong_to_its_column(demo, client):
    from publishing.selectors import published_articles

    article = published_articles(demo).filter(column__site=demo).first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    tasks.flush_visits.apply().get()
    row = PageVisitDay.objects.get(path=article.get_absolute_url(), day=timezone.localdate())
    assert (row.article, row.column, row.site) == (article, article.column, demo)


def test_admin_pages_missing_pages_and_unknown_hosts_are_not_counted(demo, client, login_as):
    login_as("operator").get("/admin/")
    client.get("/no-such-page/")
    client.get("/", HTTP_HOST="unknown.example.com")
    tasks.flush_visits.apply().get()
    assert not PageVisitDay.objects.filter(day=timezone.localdate()).exists()


def test_a_process_hands_its_visits_to_the_shared_counters_by_itself(demo, client):
    """The web process adds its gathered visits to the shared counters without waiting for
    the flush, which runs in another process (the Celery worker)."""
    client.get("/")
    slots = f"visits:{timezone.localdate():%Y%m%d}:slots"
    deadline = time.monotonic() + visits.PUSH_DELAY + 5
    while caches["visits"].get(slots) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert caches["visits"].get(slots) == 1
