"""Nothing lost under load: 200 messages submitted at once from parallel threads are all stored
once, each with its own tracking code (PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections, connection

from columns.models import Site
from interaction import services
from interaction.models import DeadlineChange, Message

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8
MESSAGES = 200


def test_two_hundred_parallel_submissions_are_stored_once_with_unique_codes(demo):
    site = Site.objects.get(site_code="5201020001")
    barrier = threading.Barrier(THREADS)
    codes, errors = [], []

    def citizen(thread):
        try:
            barrier.wait()
            for index in range(thread, MESSAGES, THREADS):
                message, _password = services.submit_message(
                    site=site,
                    kind="consultation",
                    subject=f"并发留言{index}",
                    content="并发提交测试",
                    name="测试",
                    phone=f"139{index:08d}",
                    ip=f"10.1.{index // 250}.{index % 250}",
                )
                codes.append(message.tracking_code)
        except Exception as exc:  # the test inspects every failure
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=citizen, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    stored = Message.objects.filter(subject__startswith="并发留言")
    assert stored.count() == MESSAGES
    assert len(set(stored.values_list("subject", flat=True))) == MESSAGES
    assert sorted(codes) == sorted(stored.values_list("tracking_code", flat=True))
    assert len(set(codes)) == MESSAGES
    assert DeadlineChange.objects.filter(message__in=stored).count() == MESSAGES
