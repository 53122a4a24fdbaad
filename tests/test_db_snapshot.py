"""The demo snapshot put back after a transactional test (tests/db_snapshot.py) survives a
reader that holds one of its tables and then asks for another: PostgreSQL ends the restore
as the deadlock's victim, and the restore is tried again."""

import threading
import time

import psycopg2
from django.db import connection

from columns.models import Site
from tests import db_snapshot
from tests.concurrency import ONLY_ON_POSTGRESQL

pytestmark = ONLY_ON_POSTGRESQL


def _wait_until_waiting(pid, seconds=30):
    """Return once the backend pid waits for a lock, as seen from a connection of its own."""
    probe = psycopg2.connect(**connection.get_connection_params())
    probe.autocommit = True
    try:
        with probe.cursor() as cursor:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid]
                )
                if cursor.fetchone()[0]:
                    return
                time.sleep(0.05)
    finally:
        probe.close()


def test_a_restore_that_meets_a_deadlock_is_tried_again(demo):
    snapshot = db_snapshot.take()
    tables = list(snapshot.rows)
    first, last = connection.ops.quote_name(tables[0]), connection.ops.quote_name(tables[-1])
    name = demo.name
    Site.objects.filter(pk=demo.pk).update(name="改过的名称")
    connection.ensure_connection()
    restoring = connection.connection.info.backend_pid
    reader = psycopg2.connect(**connection.get_connection_params())
    outcome = []

    def read_the_first_table_once_the_restore_waits():
        try:
            with reader.cursor() as cursor:
                _wait_until_waiting(restoring)
                # The restore holds the first table and waits for the last: a cycle.
                cursor.execute(f"SELECT count(*) FROM {first}")
                outcome.append("read")
            reader.commit()
        finally:
            reader.close()

    with reader.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {last}")
    thread = threading.Thread(target=read_the_first_table_once_the_restore_waits)
    thread.start()
    snapshot.restore()
    thread.join(60)

    assert outcome == ["read"]
    assert Site.objects.get(pk=demo.pk).name == name
