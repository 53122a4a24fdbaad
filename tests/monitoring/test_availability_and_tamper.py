"""可用性探测 and 防篡改's fingerprints: outages opened and closed by real probes of a local
server; publishing fingerprints an article's approved text, withdrawing forgets it (the tamper
check itself is staticsite's one task: tests/staticsite/test_tamper.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from columns.models import Notification
from monitoring import availability, selectors, tamper, tasks
from monitoring.models import AvailabilityProbe, Outage, PageFingerprint
from publishing import services

from .factories import make_column, publish_in
from .local_web import LocalWeb

pytestmark = pytest.mark.django_db


@pytest.fixture
def web():
    with LocalWeb() as web:
        yield web


def test_probe_opens_an_outage_once_and_closes_it_when_the_site_loads(demo, web):
    down = availability.probe_site(demo, base_url="http://127.0.0.1:9/")
    availability.probe_site(demo, base_url="http://127.0.0.1:9/")
    assert not down.ok and down.error.startswith("无法连接")
    outage = Outage.objects.get(site=demo)
    assert outage.ended_at is None
    alerts = Notification.objects.filter(kind="site_outage")
    assert alerts.count() == 1 and alerts.get().recipient.username == "operator"

    web.page("/", "<p>首页</p>")
    up = availability.probe_site(demo, base_url=f"{web.url}/")
    assert up.ok and up.status_code == 200 and up.response_ms is not None
    outage.refresh_from_db()
    assert outage.ended_at == up.probed_at
    assert Notification.objects.filter(kind="site_outage").count() == 1


def test_uptime_is_the_share_of_probes_that_loaded(demo):
    AvailabilityProbe.objects.filter(site=demo).delete()
    now = timezone.now()
    for minutes in range(20):
        AvailabilityProbe.objects.create(
            site=demo,
            probed_at=timezone.localtime(now) - timedelta(seconds=minutes),
            ok=minutes != 3,
            response_ms=100,
        )
    assert selectors.uptime_trend(sites=[demo], days=1)[-1][1] == 95.0
    assert availability.monthly_uptime(demo) == 19 / 20


def test_the_beat_probe_records_an_unreachable_site_without_failing(demo, settings):
    settings.MONITORING_PROBE_TIMEOUT = 2
    result = tasks.probe_availability.apply().get()
    assert set(result) >= {demo.pk}
    assert AvailabilityProbe.objects.filter(site=demo).order_by("-probed_at").first().ok in (
        True,
        False,
    )


def published_with_fingerprint(demo, django_capture_on_commit_callbacks, body):
    column = make_column(demo, "tamper-news")
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_in(column, title="防篡改测试", body=body)
    return article


def test_publishing_takes_a_fingerprint_and_withdrawing_drops_it(
    demo, django_capture_on_commit_callbacks, user_named
):
    article = published_with_fingerprint(
        demo, django_capture_on_commit_callbacks, "<p>经审核的正文。</p><script>x()</script>"
    )
    fingerprint = PageFingerprint.objects.get(article=article)
    assert fingerprint.text == "经审核的正文。"
    assert fingerprint.digest == tamper.digest("经审核的正文。")

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(article=article, by=user_named("operator"), reason="测试撤稿")
    assert not PageFingerprint.objects.filter(article=article).exists()
