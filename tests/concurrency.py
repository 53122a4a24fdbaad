"""Running calls at the same moment, each in its own thread and database connection.

Row locks are real only on PostgreSQL, so tests built on this carry ONLY_ON_POSTGRESQL.
"""

import threading

import pytest
from django.db import close_old_connections, connection

ONLY_ON_POSTGRESQL = [
    pytest.mark.postgres,
    # Decided before any database work, so SQLite runs do not pay for a flush and demo reload.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) are only real on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_at_once(*calls, timeout=60):
    """Run each call in its own thread, released together; return ("ok", result) or
    ("error", exception) for each, in the order of the calls."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = ("ok", call())
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[index] = ("error", exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
