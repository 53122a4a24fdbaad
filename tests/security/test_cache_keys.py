"""Unique query strings must not fill Redis, and the cache must not share a database with the
Celery broker (issue 15, item 5).

An attacker requests public pages with 1,000 unique junk query strings; the number of keys in
the page cache grows by a small bound, not by 1,000, and each of them is answered from the
cached page (a junk parameter must not buy a render). Real query parameters (?page=) are still
cached, and their odd values (?page=0002) are capped per page. The settings put the caches
and the broker in different Redis databases, whatever REDIS_URL is.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches

from .reporting import print_summary

ROOT = Path(__file__).resolve().parents[2]
JUNK_REQUESTS = 1000
#: Keys a handful of pages may add besides their entries: tag versions, site state, counters.
BOOKKEEPING = 20
RESULTS = {}


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        print_summary(
            request,
            "security cache keys: "
            + "; ".join(f"{name}: {outcome}" for name, outcome in RESULTS.items()),
        )


def cache_keys():
    """Every key in the page cache's store (Redis when configured, else local memory)."""
    backend = caches["pages"]
    if hasattr(backend, "keys"):  # django-redis
        return set(backend.keys("*"))
    return set(backend._cache)


@pytest.mark.django_db
def test_unique_junk_query_strings_add_a_bounded_number_of_cache_keys(client, demo):
    pages = ["/", "/columns/news/", "/xxgk/", "/services/"]
    for page in pages:
        assert client.get(page).status_code == 200
    before = cache_keys()
    for number in range(JUNK_REQUESTS):
        page = pages[number % len(pages)]
        response = client.get(f"{page}?utm_source=x{number}&_={number}")
        assert response.status_code == 200
        assert response.headers["X-Page-Cache"] == "hit"
    added = len(cache_keys() - before)
    RESULTS["junk query strings"] = f"{JUNK_REQUESTS} requests added {added} keys"
    assert added <= BOOKKEEPING
    # The pages themselves are still served from the cache.
    assert all(client.get(page).headers["X-Page-Cache"] == "hit" for page in pages)


@pytest.mark.django_db
def test_junk_parameters_are_answered_from_the_cached_page_they_do_not_change(
    client, demo, monkeypatch
):
    monkeypatch.setattr("publishing.views.PAGE_SIZE", 2)
    first = client.get("/columns/news/")
    second = client.get("/columns/news/?page=2")
    assert first.content != second.content
    for junk in ("utm_source=a", "_=1&from=x", "page_x=9"):
        response = client.get(f"/columns/news/?{junk}")
        assert response.headers["X-Page-Cache"] == "hit", junk
        assert response.content == first.content
        response = client.get(f"/columns/news/?{junk}&page=2")
        assert response.headers["X-Page-Cache"] == "hit", junk
        assert response.content == second.content
    # A value the page reads is never answered by another value's page.
    third = client.get("/columns/news/?page=3&utm_source=a")
    assert third.headers.get("X-Page-Cache") != "hit"
    assert third.content not in (first.content, second.content)
    # The catalogue reads its query whole (it keeps the filters in its links): as given.
    assert client.get("/xxgk/catalogue/?year=2025").status_code == 200
    response = client.get("/xxgk/catalogue/?year=2025&utm_source=a")
    assert response.headers.get("X-Page-Cache") != "hit"


@pytest.mark.django_db
def test_odd_values_of_a_real_parameter_are_capped_per_page(client, demo, monkeypatch):
    monkeypatch.setattr("portal.caching.MAX_QUERY_VARIANTS", 10, raising=False)
    assert client.get("/columns/news/?page=1").headers["X-Page-Cache"] == "miss"
    assert client.get("/columns/news/?page=1").headers["X-Page-Cache"] == "hit"
    before = cache_keys()
    for zeros in range(1, 101):
        assert client.get(f"/columns/news/?page={'0' * zeros}1").status_code == 200
    added = len(cache_keys() - before)
    RESULTS["?page=0…01 variants"] = f"100 requests added {added} keys (cap 10)"
    assert added <= 10 + BOOKKEEPING
    # A repeated parameter is a variant the page did not read as given: not stored.
    client.get("/columns/news/?page=1&page=1")
    assert "X-Page-Cache" not in client.get("/columns/news/?page=1&page=1").headers


def portal_settings(**env):
    """The settings a process with env computes: broker URL and each cache's location."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.CELERY_BROKER_URL, "
        "{name: c.get('LOCATION') for name, c in settings.CACHES.items()}]))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CACHE_REDIS_URL", "PYTEST_XDIST_WORKER", "PORTAL_TESTING"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings", **env)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    broker, locations = json.loads(done.stdout)
    return broker, {str(location) for location in locations.values()}


def test_settings_put_the_cache_and_the_broker_in_different_redis_databases(tmp_path):
    var = str(tmp_path)
    broker, caches_at = portal_settings(REDIS_URL="redis://10.0.0.10:6379/0", PORTAL_VAR_DIR=var)
    assert (broker, caches_at) == ("redis://10.0.0.10:6379/0", {"redis://10.0.0.10:6379/1"})
    broker, caches_at = portal_settings(
        REDIS_URL="redis://:pw@10.0.0.10:6379/0",
        CACHE_REDIS_URL="redis://:pw2@10.0.0.10:6380/0",
        PORTAL_VAR_DIR=var,
    )
    assert (broker, caches_at) == (
        "redis://:pw@10.0.0.10:6379/0",
        {"redis://:pw2@10.0.0.10:6380/0"},
    )
    # Two parallel test workers: four different databases.
    used = []
    for worker in ("gw0", "gw1"):
        broker, caches_at = portal_settings(
            REDIS_URL="redis://127.0.0.1:6379/15",
            PORTAL_TESTING="1",
            PYTEST_XDIST_WORKER=worker,
            PORTAL_VAR_DIR=var,
        )
        used += [broker, *caches_at]
    assert len(set(used)) == 4, used
    RESULTS["settings"] = "broker and caches in different databases"


def redis_conf(name):
    """deploy/redis/<name>: {directive: value}."""
    lines = (ROOT / "deploy" / "redis" / name).read_text().splitlines()
    return dict(line.split(None, 1) for line in lines if line.strip() and line[0] != "#")


def test_the_deployed_caches_have_their_own_evicting_instance(tmp_path):
    """As deploy/ installs it: the env file's broker is broker.conf's instance, which never
    evicts, and its caches are cache.conf's, with a memory cap and LRU eviction of its own."""
    env_file = (ROOT / "deploy" / "portal.env.example").read_text().splitlines()
    env = dict(line.split("=", 1) for line in env_file if "=" in line and line[0] != "#")
    broker, caches_at = portal_settings(
        REDIS_URL=env["REDIS_URL"],
        CACHE_REDIS_URL=env.get("CACHE_REDIS_URL", ""),
        PORTAL_VAR_DIR=str(tmp_path),
    )
    broker_conf, cache_conf = redis_conf("broker.conf"), redis_conf("cache.conf")
    assert urlsplit(broker).port == int(broker_conf["port"])
    assert broker_conf["maxmemory-policy"] == "noeviction"
    assert {urlsplit(location).port for location in caches_at} == {int(cache_conf["port"])}
    assert cache_conf["maxmemory-policy"] == "allkeys-lru" and cache_conf["maxmemory"]
    RESULTS["deploy/"] = "caches in their own instance (allkeys-lru), broker's never evicts"
