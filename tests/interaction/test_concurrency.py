"""Nothing lost under load: 200 messages submitted at once from parallel threads are all stored
once, each with its own tracking code (PostgreSQL)."""

from columns.models import Site
from interaction import services
from interaction.models import DeadlineChange, Message
from tests.concurrency import ONLY_ON_POSTGRESQL, run_at_once

pytestmark = ONLY_ON_POSTGRESQL

THREADS = 8
MESSAGES = 200


def test_two_hundred_parallel_submissions_are_stored_once_with_unique_codes(demo):
    site = Site.objects.get(site_code="5201020001")

    def citizen(thread):
        codes = []
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
        return codes

    outcomes = run_at_once(
        *[lambda thread=thread: citizen(thread) for thread in range(THREADS)], timeout=120
    )
    assert [kind for kind, _codes in outcomes] == ["ok"] * THREADS, outcomes
    codes = [code for _kind, thread_codes in outcomes for code in thread_codes]
    stored = Message.objects.filter(subject__startswith="并发留言")
    assert stored.count() == MESSAGES
    assert len(set(stored.values_list("subject", flat=True))) == MESSAGES
    assert sorted(codes) == sorted(stored.values_list("tracking_code", flat=True))
    assert len(set(codes)) == MESSAGES
    assert DeadlineChange.objects.filter(message__in=stored).count() == MESSAGES
