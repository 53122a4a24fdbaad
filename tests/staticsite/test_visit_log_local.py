"""访问量 on a one-host installation: nginx on the application's machine, no public host
registered; its log of the published pages (STATIC_PAGES_LOCAL_ACCESS_LOG) is read from the file
by the same import as a public host's log, once per line, across rotations."""

import json
import os
import shutil
import uuid

import pytest
from django.utils import timezone

from monitoring import tasks as monitoring_tasks
from monitoring.models import PageVisitDay
from staticsite import tasks
from staticsite.models import PublicHost, VisitsLogPosition

from .conftest import PORTAL_HOST
from .front import PublicHostOnLoopback, StandInApplication
from .test_serving import get

pytestmark = pytest.mark.django_db


def log_line(path="/", *, method="GET", status=200, content_type="text/html; charset=utf-8"):
    """One line as portal-public.conf's log_format portal_pages writes it."""
    entry = {
        "id": uuid.uuid4().hex,
        "time": timezone.localtime().isoformat(timespec="seconds"),
        "host": PORTAL_HOST,
        "uri": path,
        "method": method,
        "status": status,
        "type": content_type,
    }
    return json.dumps(entry, separators=(",", ":")) + "\n"


def append(log, *lines):
    with log.open("a", encoding="utf-8") as out:
        out.writelines(lines)


def import_visits(django_capture_on_commit_callbacks):
    """The beat's import task, its counts handed over at commit as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.import_visits.run()


def visits_of(path):
    monitoring_tasks.flush_visits.run()
    row = PageVisitDay.objects.filter(day=timezone.localdate(), path=path).first()
    return row.visits if row else 0


@pytest.fixture
def local_log(demo, settings, tmp_path):
    """The one host's nginx log of the published pages, and no public host registered."""
    assert not PublicHost.objects.exists()
    settings.STATIC_PAGES_LOCAL_ACCESS_LOG = str(tmp_path / "access.log")
    return tmp_path / "access.log"


def test_the_local_log_is_counted_once_per_line(local_log, django_capture_on_commit_callbacks):
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 0}  # no log yet
    append(
        local_log,
        *[log_line("/columns/news/")] * 3,
        log_line("/columns/news/", method="HEAD"),  # not a visit
        log_line("/sitemap.xml", content_type="application/xml"),  # not a page
    )
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 3}
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 0}
    append(local_log, log_line("/columns/news/"), '{"id":"half a line')
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 1}
    assert visits_of("/columns/news/") == 4
    position = VisitsLogPosition.objects.get()
    assert position.public_host is None
    assert position.offset == local_log.stat().st_size - len('{"id":"half a line')


def test_a_replaced_smaller_log_is_read_from_its_start(
    local_log, django_capture_on_commit_callbacks
):
    append(local_log, *[log_line("/xxgk/")] * 5)
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 5}
    replacement = local_log.with_name("new.log")
    append(replacement, log_line("/xxgk/"), log_line("/xxgk/"))
    os.replace(replacement, local_log)
    assert local_log.stat().st_size < VisitsLogPosition.objects.get().offset
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 2}
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 0}
    assert visits_of("/xxgk/") == 7


def test_after_logrotate_the_rest_of_the_old_log_is_read_then_the_new_one(
    local_log, django_capture_on_commit_callbacks
):
    append(local_log, log_line("/services/"))
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 1}
    append(local_log, log_line("/services/"), log_line("/services/"))  # before the rotation
    local_log.rename(local_log.with_name("access.log.1"))
    append(local_log, log_line("/services/"))
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 3}
    assert import_visits(django_capture_on_commit_callbacks) == {"local": 0}
    assert visits_of("/services/") == 4


def test_a_page_nginx_answers_on_a_one_host_installation_is_counted(
    demo, settings, django_capture_on_commit_callbacks
):
    """portal-public.conf as deployed, its portal_pages log the local log: no receiver."""
    application = StandInApplication()
    nginx = PublicHostOnLoopback(upstream_port=application.port, name="one-host")
    try:
        page = nginx.pages / PORTAL_HOST / "index.html"
        page.parent.mkdir()
        page.parent.chmod(0o755)
        page.write_text("<!doctype html><title>首页</title>", encoding="utf-8")
        nginx.start()
        settings.STATIC_PAGES_LOCAL_ACCESS_LOG = str(nginx.visits_log)
        assert not PublicHost.objects.exists()
        status, _headers, body = get(nginx.port, "/", PORTAL_HOST)
        assert (status, body.decode()) == (200, "<!doctype html><title>首页</title>")
        nginx.flush_logs()
        assert import_visits(django_capture_on_commit_callbacks) == {"local": 1}
        assert import_visits(django_capture_on_commit_callbacks) == {"local": 0}
        assert visits_of("/") == 1
    finally:
        nginx.stop()
        shutil.rmtree(nginx.directory, ignore_errors=True)
        application.close()
