"""Gunicorn under a lost database connection and a dead Redis (SPEC §7, issue 11 fault tests).

A real gunicorn serves the test database. Its PostgreSQL connections are cut from the server
side (pg_terminate_backend, as a database restart does to them): the next requests must be
answered normally, the broken connection replaced without anybody acting. A Redis of its own
is then killed: the public pages must still be served, from the database.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = int(os.environ.get("SOAK_REQUESTS", "60"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("PORTAL_SOAK"), reason="soak tests run with make soak"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="connection loss is tested on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def start_gunicorn(log, redis_url=""):
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="portal.settings",
        PORTAL_VAR_DIR=os.environ.get("PORTAL_VAR_DIR", str(ROOT / "var")),
    )
    # PORTAL_TESTING stays: static files come from the finders, so no collectstatic is needed.
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return server, base
        except OSError:
            assert server.poll() is None, "gunicorn died while starting"
            time.sleep(0.3)
    stop(server)
    pytest.fail("gunicorn did not answer within 60 s")


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass


def status_of(url):
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return "no answer"


def cut_database_connections():
    """Terminate every server process serving the test database, except this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_lost_database_connections_are_replaced_without_errors(demo, tmp_path):
    server, base = start_gunicorn(open(tmp_path / "gunicorn.log", "w"))
    try:
        warm = [status_of(f"{base}/") for _ in range(10)]
        cut = cut_database_connections()
        after = [status_of(f"{base}/" if n % 2 else f"{base}/healthz") for n in range(REQUESTS)]
    finally:
        stop(server)
    print(
        f"\nsoak db-connection-loss: {cut} connections cut, {REQUESTS} requests after: "
        f"{sorted(set(map(str, after)))}"
    )
    assert set(warm) == {200}
    assert cut >= 1, "gunicorn held no database connection to cut"
    assert set(after) == {200}, after


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_public_pages_are_served_while_redis_is_down(demo, tmp_path):
    port = free_port()
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server, base = start_gunicorn(
        open(tmp_path / "gunicorn.log", "w"), redis_url=f"redis://127.0.0.1:{port}/0"
    )
    try:
        up = [status_of(f"{base}/") for _ in range(5)]
        os.killpg(redis.pid, signal.SIGKILL)
        redis.wait(timeout=10)
        started = time.monotonic()
        down = [status_of(f"{base}/") for _ in range(REQUESTS // 2)]
        seconds = time.monotonic() - started
    finally:
        stop(server)
        if redis.poll() is None:
            os.killpg(redis.pid, signal.SIGKILL)
    print(
        f"\nsoak redis-down: {len(down)} homepage requests with Redis dead in {seconds:.1f} s: "
        f"{sorted(set(map(str, down)))}"
    )
    assert set(up) == {200}
    assert set(down) == {200}, down
