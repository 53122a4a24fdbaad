"""访问量 of published pages: nginx answers them without the application, so each public host logs
them (portal_pages) and the workers import that log into the visit counters; under `make run`
the application answers the files and counts them as it counts its own pages. Either way the
inspectors' dashboard shows every visit once."""

import pytest
from django.test import Client
from django.utils import timezone

from monitoring import tasks as monitoring_tasks
from monitoring.models import PageVisitDay
from staticsite import tasks
from staticsite.models import PublicHost, VisitsLogPosition

from .conftest import EDU_HOST, PORTAL_HOST, page_file
from .front import APPLICATION_MARK
from .test_serving import application, edu_published, get, paged_column, public_host  # noqa: F401

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/monitoring/compliancedashboard/"


def visits_today(inspector, site):
    """Today's 访问量 of site on the dashboard, after the beat's flush of the counters."""
    monitoring_tasks.flush_visits.run()
    charts = inspector.get(DASHBOARD, {"site": site.pk}).context["charts"]["visits"]
    return dict(zip(charts["days"], charts["series"][0]["data"], strict=True)).get(
        timezone.localdate().strftime("%m-%d"), 0
    )


def import_visits(django_capture_on_commit_callbacks):
    """The beat's import task, its counts handed over at commit as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.import_visits.run()


@pytest.fixture
def logged_host(edu_published, public_host):  # noqa: F811
    """The public host on loopback, registered: the workers read its log through its receiver."""
    PublicHost.objects.create(
        name="public-a", receiver_url=public_host.receiver_url, acknowledged_at=timezone.now()
    )
    return public_host


def test_pages_nginx_answers_from_files_are_counted_once_from_its_log(
    edu_published,  # noqa: F811
    logged_host,
    login_as,
    django_capture_on_commit_callbacks,
):
    inspector = login_as("inspector")
    before = visits_today(inspector, edu_published)
    status, headers, _body = get(logged_host.port, "/", EDU_HOST)
    assert status == 200
    for _i in range(4):
        assert get(logged_host.port, "/", EDU_HOST)[0] == 200
    # A revalidation is a visit of the browser's copy; HEAD, a sitemap and what nginx passes to
    # the application (counted there) are not this log's visits.
    assert (
        get(logged_host.port, "/", EDU_HOST, headers={"If-None-Match": headers["ETag"]})[0] == 304
    )
    assert get(logged_host.port, "/", EDU_HOST, method="HEAD")[0] == 200
    assert get(logged_host.port, "/sitemap.xml", EDU_HOST)[0] == 200
    assert get(logged_host.port, "/?from=mail", EDU_HOST)[2].startswith(APPLICATION_MARK)
    assert get(logged_host.port, "/no-such-page/", EDU_HOST)[2].startswith(APPLICATION_MARK)

    logged_host.flush_logs()
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 6}
    assert visits_today(inspector, edu_published) == before + 6
    # The next round reads only what was appended since: nothing is counted twice.
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 0}
    assert visits_today(inspector, edu_published) == before + 6

    paged = paged_column()
    for _i in range(3):
        assert get(logged_host.port, paged.path, PORTAL_HOST)[0] == 200
    logged_host.flush_logs()
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 3}
    monitoring_tasks.flush_visits.run()
    # ?page=N counts under its list's address, as the application counts it.
    row = PageVisitDay.objects.get(day=timezone.localdate(), path=paged.path.split("?")[0])
    assert (row.site, row.visits) == (paged.site, 3)


def test_a_rotated_log_is_read_to_its_end_and_the_new_log_from_its_start(
    edu_published,  # noqa: F811
    logged_host,
    login_as,
    django_capture_on_commit_callbacks,
):
    inspector = login_as("inspector")
    before = visits_today(inspector, edu_published)
    for _i in range(2):
        get(logged_host.port, "/", EDU_HOST)
    logged_host.flush_logs()
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 2}
    for _i in range(3):
        get(logged_host.port, "/", EDU_HOST)  # after the import, before the rotation
    logged_host.rotate_logs()
    for _i in range(4):
        get(logged_host.port, "/", EDU_HOST)
    logged_host.flush_logs()
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 3 + 4}
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 0}
    assert visits_today(inspector, edu_published) == before + 9

    logged_host.rotate_logs()  # rotated with nothing new, then an empty log
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 0}
    get(logged_host.port, "/", EDU_HOST)
    logged_host.flush_logs()
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 1}
    assert visits_today(inspector, edu_published) == before + 10


def test_a_host_whose_log_cannot_be_read_keeps_its_position(
    edu_published,  # noqa: F811
    logged_host,
    django_capture_on_commit_callbacks,
):
    get(logged_host.port, "/", EDU_HOST)
    logged_host.stop()
    done = import_visits(django_capture_on_commit_callbacks)
    assert "127.0.0.1" in done["public-a"]
    assert not VisitsLogPosition.objects.exists()  # nothing read, no position kept
    logged_host.start()
    logged_host.flush_logs()
    assert import_visits(django_capture_on_commit_callbacks) == {"public-a": 1}


def test_make_run_counts_the_pages_it_answers_from_files_like_its_own(
    edu_published,  # noqa: F811
    settings,
    login_as,
):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: settings.MIDDLEWARE.index("portal.middleware.SiteMiddleware")],
        "staticsite.serving.PublishedFileMiddleware",
        *settings.MIDDLEWARE[settings.MIDDLEWARE.index("portal.middleware.SiteMiddleware") :],
    ]
    inspector = login_as("inspector")
    before = visits_today(inspector, edu_published)
    home = page_file(settings.STATIC_PAGES_ROOT, EDU_HOST, "/")
    home.write_bytes(home.read_bytes().replace(b"</body>", b"<!-- from the file --></body>"))
    client = Client(HTTP_HOST=EDU_HOST)
    for _i in range(3):
        answer = client.get("/")
        assert b"from the file" in b"".join(answer.streaming_content)
    assert client.get("/", HTTP_IF_NONE_MATCH=answer["ETag"]).status_code == 304
    client.head("/")
    assert visits_today(inspector, edu_published) == before + 4
