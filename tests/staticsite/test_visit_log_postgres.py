"""The import of a public host's visits log under real row locks (PostgreSQL): two imports at
once (two workers, or a beat tick while the last run is still reading) count each line once."""

import shutil

import pytest
from django.utils import timezone

from monitoring import tasks as monitoring_tasks
from monitoring.models import PageVisitDay
from staticsite import visit_log
from staticsite.models import PublicHost
from tests.concurrency import ONLY_ON_POSTGRESQL, run_at_once

from .conftest import PORTAL_HOST
from .front import PublicHostOnLoopback, StandInApplication
from .test_serving import get

pytestmark = ONLY_ON_POSTGRESQL

VISITS = 25


@pytest.fixture
def logged_host(demo):
    """A public host on loopback with one published page in its root, registered."""
    application = StandInApplication()
    host = PublicHostOnLoopback(upstream_port=application.port)
    page = host.pages / PORTAL_HOST / "index.html"
    page.parent.mkdir()
    page.write_text("<!doctype html><title>首页</title>", encoding="utf-8")
    page.parent.chmod(0o755)
    host.start()
    PublicHost.objects.create(
        name="public-a", receiver_url=host.receiver_url, acknowledged_at=timezone.now()
    )
    yield host
    host.stop()
    shutil.rmtree(host.directory, ignore_errors=True)
    application.close()


def test_two_imports_at_once_count_each_line_once(logged_host):
    for _i in range(VISITS):
        assert get(logged_host.port, "/", PORTAL_HOST)[0] == 200
    logged_host.flush_logs()
    outcomes = run_at_once(visit_log.import_visits, visit_log.import_visits)
    counted = sorted(result["public-a"] for kind, result in outcomes if kind == "ok")
    assert counted == [0, VISITS], outcomes
    monitoring_tasks.flush_visits.run()
    row = PageVisitDay.objects.get(day=timezone.localdate(), path="/", site__site_code="5201020001")
    assert row.visits == VISITS
