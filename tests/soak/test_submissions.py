"""Citizens submitting at once through a real gunicorn on PostgreSQL (SPEC §7 "nothing lost").

Each submission is a citizen of its own: a loopback source address of its own (so the
per-address rate limit lets it through), its own CSRF cookie and session, the form fetched
and posted as a browser does. Every accepted answer must be exactly one stored message with a
unique tracking code; no answer may be a server error.
"""

import http.client
import os
import re
import threading
import urllib.parse

import pytest
from django.db import connection as db_connection

from interaction.models import Message

from .test_outages import start_gunicorn, stop

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("PORTAL_SOAK"), reason="soak tests run with make soak"),
    pytest.mark.skipif(db_connection.vendor != "postgresql", reason="measured on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

SUBMISSIONS = int(os.environ.get("SOAK_SUBMISSIONS", "120"))
THREADS = 8
FORM = "/interaction/messages/new/"


def submit(port, index):
    """Fetch the form and post it from source address 127.0.x.y; return the POST's status."""
    source = (f"127.0.{1 + index // 250}.{1 + index % 250}", 0)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=source)
    try:
        connection.request("GET", FORM, headers={"Host": "localhost"})
        page = connection.getresponse()
        html = page.read().decode()
        cookies = "; ".join(
            value.split(";", 1)[0]
            for name, value in page.getheaders()
            if name.lower() == "set-cookie"
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "kind": "consultation",
                "channel": "unified",
                "subject": f"压力测试留言{index}",
                "content": "并发提交：请问办理居住证需要哪些材料？",
                "name": "测试",
                "phone": f"139{index:08d}",
                "captcha_0": "soak",
                "captcha_1": "PASSED",
            }
        )
        connection.request(
            "POST",
            FORM,
            body=body,
            headers={
                "Host": "localhost",
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        answer = connection.getresponse()
        answer.read()
        return answer.status
    except OSError as exc:
        return f"no answer: {exc}"
    finally:
        connection.close()


def test_concurrent_citizen_submissions_are_each_stored_exactly_once(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("CAPTCHA_TEST_MODE", "1")
    server, base = start_gunicorn(open(tmp_path / "gunicorn.log", "w"))
    port = int(base.rsplit(":", 1)[1])
    statuses = [None] * SUBMISSIONS

    def citizen(thread):
        for index in range(thread, SUBMISSIONS, THREADS):
            statuses[index] = submit(port, index)

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
