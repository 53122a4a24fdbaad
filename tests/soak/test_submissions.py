"""Citizens submitting at once through a real gunicorn on PostgreSQL (SPEC §7 "nothing lost").

Each submission is a citizen of its own: a loopback source address of its own (so the
per-address rate limit lets it through), its own CSRF cookie and session, the form fetched
and posted as a browser does. Every accepted answer must be exactly one stored message with a
unique tracking code; no answer may be a server error.
"""

import os
import threading

import pytest
from django.db import connection as db_connection

from interaction.models import Message

from .servers import start_gunicorn, stop, submit_message

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("PORTAL_SOAK"), reason="soak tests run with make soak"),
    pytest.mark.skipif(db_connection.vendor != "postgresql", reason="measured on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

SUBMISSIONS = int(os.environ.get("SOAK_SUBMISSIONS", "120"))
THREADS = 8


def test_concurrent_citizen_submissions_are_each_stored_exactly_once(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("CAPTCHA_TEST_MODE", "1")
    server, base = start_gunicorn(open(tmp_path / "gunicorn.log", "w"))
    port = int(base.rsplit(":", 1)[1])
    statuses = [None] * SUBMISSIONS

    def citizen(thread):
        for index in range(thread, SUBMISSIONS, THREADS):
            statuses[index] = submit_message(port, index, f"压力测试留言{index}")

    threads = [threading.Thread(target=citizen, args=(t,)) for t in range(THREADS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        stop(server)

    accepted = [i for i, status in enumerate(statuses) if status == 302]
    stored = Message.objects.filter(subject__startswith="压力测试留言")
    subjects = list(stored.values_list("subject", flat=True))
    codes = list(stored.values_list("tracking_code", flat=True))
    print(
        f"\nsoak submissions: {SUBMISSIONS} submitted, {len(accepted)} accepted, "
        f"{len(subjects)} stored, {len(subjects) - len(set(subjects))} duplicates, "
        f"answers {sorted({str(s) for s in statuses})}"
    )
    assert not [s for s in statuses if not isinstance(s, int) or s >= 500], statuses
    assert len(accepted) == SUBMISSIONS, statuses
    assert sorted(subjects) == sorted(f"压力测试留言{i}" for i in accepted)
    assert len(set(codes)) == len(codes)
