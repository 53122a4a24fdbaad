"""可用性探测 and 防篡改: outages opened and closed by real probes of a local server; a page
that no longer carries the approved text raises one alert per content served."""

from datetime import timedelta

import pytest
from django.utils import timezone

from columns.models import Notification
from monitoring import availability, selectors, tamper, tasks
from monitoring.models import AvailabilityProbe, Outage, PageFingerprint, TamperAlert
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


def test_probe_alerts_once_when_the_page_served_differs(
    demo, web, django_capture_on_commit_callbacks
):
    article = published_with_fingerprint(
        demo, django_capture_on_commit_callbacks, "<p>本局于今日召开安全生产会议。</p>"
    )
    path = article.get_absolute_url()
    web.page(path, "<html><nav>首页</nav><main><p>本局于今日召开安全生产会议。</p></main></html>")
    tamper.check_due(base_url=f"{web.url}/")
    assert not TamperAlert.objects.exists()
    assert PageFingerprint.objects.get(article=article).matched is True

    web.page(path, "<html><main><p>本局于今日召开娱乐活动。</p></main></html>")
    tamper.check_due(base_url=f"{web.url}/")
    tamper.check_due(base_url=f"{web.url}/")
    alert = TamperAlert.objects.get(fingerprint__article=article)
    assert alert.reason == "网页内容与审核通过的内容不一致"
    assert PageFingerprint.objects.get(article=article).matched is False
    sent = Notification.objects.filter(kind="tamper_alert")
    assert {n.recipient.username for n in sent} == {"operator", "edu_liaison"}
    assert sent.count() == 2  # one alert, to each of the two people, once


def test_a_page_that_does_not_load_is_not_called_tampered(demo, django_capture_on_commit_callbacks):
    article = published_with_fingerprint(demo, django_capture_on_commit_callbacks, "<p>正文</p>")
    tamper.check_due(base_url="http://127.0.0.1:9/")
    fingerprint = PageFingerprint.objects.get(article=article)
    assert fingerprint.checked_at is not None and fingerprint.matched is None
    assert not TamperAlert.objects.exists()


def test_text_changed_behind_the_review_is_a_tamper(demo, web, django_capture_on_commit_callbacks):
    article = published_with_fingerprint(demo, django_capture_on_commit_callbacks, "<p>原文</p>")
    type(article).objects.filter(pk=article.pk).update(body="<p>改过的文</p>")
    web.page(article.get_absolute_url(), "<p>改过的文</p>")
    tamper.check_due(base_url=f"{web.url}/")
    assert TamperAlert.objects.get().reason == "信息正文未经审核被改动"
