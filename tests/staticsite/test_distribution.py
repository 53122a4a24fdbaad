"""分发 to two public web hosts on loopback (nginx each, its own root, its receiver), and the
tamper check on what is served."""

import shutil
import time

import pytest

from columns.models import Notification, Site
from monitoring.models import TamperAlert
from staticsite import distribution, rendering, services, tamper, tasks
from staticsite.models import FileChange, PublicHost, PublishedPage
from tests.portal.published import publish, withdraw

from .conftest import PORTAL_HOST, drain
from .front import APPLICATION_MARK, PublicHostOnLoopback, StandInApplication
from .test_serving import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosts(demo, settings, tmp_path, monkeypatch):
    """Two public hosts, registered; the workers' own root; a finished render hands over to
    distribution at once, as the worker does (no broker here)."""
    settings.STATIC_PAGES_ROOT = tmp_path / "pages"
    settings.STATIC_PAGES_ENABLED = True
    monkeypatch.setattr(tasks.render_pending, "apply_async", lambda *a, **kw: None)
    monkeypatch.setattr(tasks.distribute, "apply_async", lambda *a, **kw: tasks.distribute.run())
    application = StandInApplication()
    started = []
    for name in ("public-a", "public-b"):
        host = PublicHostOnLoopback(upstream_port=application.port, name=name)
        host.start()  # before the next takes its ports
        started.append(host)
        PublicHost.objects.create(name=name, receiver_url=host.receiver_url)
    yield started
    for host in started:
        host.stop()
        shutil.rmtree(host.directory, ignore_errors=True)
    application.close()


def served(host, path):
    return get(host.port, path, PORTAL_HOST)[2]


def on_disk(path):
    return (rendering.root() / rendering.file_for(PORTAL_HOST, path)).read_bytes()


def position(name):
    return PublicHost.objects.get(name=name).acknowledged


def test_a_change_reaches_both_hosts_and_a_host_that_was_down_catches_up(hosts, capsys):
    a, b = hosts
    portal_id = Site.objects.get(site_code="5201020001").pk
    services.publish_page(site_id=portal_id, host=PORTAL_HOST, path="/")
    assert served(a, "/").startswith(APPLICATION_MARK)  # nothing sent yet
    assert distribution.distribute() == {"public-a": 1, "public-b": 1}
    assert served(a, "/") == served(b, "/") == on_disk("/")
    assert not FileChange.objects.exists()  # both acknowledged: forgotten

    started = time.monotonic()
    article = publish("分发测试：两台公网主机")
    drain()
    article_page = f"/articles/{article.pk}/"
    assert served(a, article_page) == on_disk(article_page)
    assert served(a, "/") == on_disk("/") and "分发测试".encode() in served(a, "/")
    assert served(b, "/") == on_disk("/")
    delay = time.monotonic() - started
    print(f"\napproval to both public hosts serving the new pages: {delay:.2f} s")

    b.stop()
    before = served(a, "/")
    withdraw(article)
    drain()
    assert served(a, article_page).startswith(APPLICATION_MARK)  # deleted on a
    assert "分发测试".encode() not in served(a, "/") and served(a, "/") != before
    host_b = PublicHost.objects.get(name="public-b")
    assert host_b.acknowledged < position("public-a")
    assert "127.0.0.1" in host_b.last_error
    assert FileChange.objects.filter(pk__gt=host_b.acknowledged).exists()  # kept for b

    b.start()
    assert not served(b, article_page).startswith(APPLICATION_MARK)  # the withdrawn page
    done = tasks.distribute.run()  # the beat's next tick
    assert done["public-a"] == 0 and done["public-b"] >= 2
    assert served(b, article_page).startswith(APPLICATION_MARK)
    assert served(b, "/") == served(a, "/") == on_disk("/")
    assert position("public-b") == position("public-a")
    assert PublicHost.objects.get(name="public-b").last_error == ""
    assert not FileChange.objects.exists()


def test_a_receiver_that_refuses_keeps_its_position_and_nothing_is_lost(hosts):
    a, _b = hosts
    PublicHost.objects.filter(name="public-b").update(receiver_url=f"http://{a.address}/")
    portal_id = Site.objects.get(site_code="5201020001").pk
    services.publish_page(site_id=portal_id, host=PORTAL_HOST, path="/robots.txt")
    done = distribution.distribute()
    assert done["public-a"] == 1 and "answered 501" in done["public-b"]
    refused = PublicHost.objects.get(name="public-b")
    assert (refused.acknowledged, refused.acknowledged_at) == (0, None)
    assert "answered 501" in refused.last_error
    assert FileChange.objects.count() == 1  # kept until b has it


def test_a_file_changed_on_disk_is_alerted_restored_and_sent_again(hosts, settings):
    a, b = hosts
    portal_id = Site.objects.get(site_code="5201020001").pk
    for path in ("/", "/sitemap.xml"):
        services.publish_page(site_id=portal_id, host=PORTAL_HOST, path=path)
    distribution.distribute()
    settings.MONITORING_SITE_SCHEME = "http"
    settings.MONITORING_SITE_ADDRESS = a.address
    assert tamper.check_served(sample=10) == []
    assert not Notification.objects.filter(kind="tamper_alert").exists()
    assert not TamperAlert.objects.exists()

    page = PublishedPage.objects.get(host=PORTAL_HOST, path="/")
    original = on_disk("/")
    file = rendering.root() / page.file
    file.write_bytes(original.replace(b"</body>", b"<script src=//evil.example/x.js></script>"))
    found = tamper.check_served(sample=0)
    assert found == [tamper.Tampered(PORTAL_HOST, "/", tamper.ON_DISK)]
    assert on_disk("/") == original
    assert rendering.file_fingerprint(page.file) == page.fingerprint
    alerts = Notification.objects.filter(kind="tamper_alert")
    assert alerts.exists() and all(PORTAL_HOST in n.body for n in alerts)
    recorded = TamperAlert.objects.get()  # for the inspectors, as an article's text is
    assert (recorded.url, recorded.fingerprint) == (f"http://{PORTAL_HOST}/", None)
    assert "已自动恢复" in recorded.reason

    # A public host's copy changed: found through the web server's address, sent again.
    (a.pages / page.file).write_bytes(b"<html>defaced</html>")
    assert served(a, "/") == b"<html>defaced</html>"
    found = tamper.check_served(sample=10)
    assert found == [tamper.Tampered(PORTAL_HOST, "/", tamper.SERVED)]
    assert TamperAlert.objects.count() == 2
    distribution.distribute()
    assert served(a, "/") == served(b, "/") == original
    assert tamper.check_served(sample=10) == []


def test_public_hosts_command_adds_lists_and_resets_and_refuses_a_bad_address():
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="URL"):
        call_command("public_hosts", "--add", "web-public-1", "not an address")
    assert not PublicHost.objects.exists()
    out = StringIO()
    call_command("public_hosts", "--add", "web-public-1", "http://10.0.0.31:8090/", stdout=out)
    assert "web-public-1\thttp://10.0.0.31:8090/\tat 0 (never)" in out.getvalue()
    PublicHost.objects.update(acknowledged=42, acknowledged_at="2026-12-01T00:00:00Z")
    call_command("public_hosts", "--reset", "web-public-1", stdout=StringIO())
    assert PublicHost.objects.get().acknowledged_at is None
    with pytest.raises(CommandError, match="no public host named web-public-9"):
        call_command("public_hosts", "--remove", "web-public-9")
    assert PublicHost.objects.count() == 1
