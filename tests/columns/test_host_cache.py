"""A new site or host name answers at once on every web process, and a removed one stops
answering: a real second process (manage.py shell) saves the host against the same
PostgreSQL database and Redis cache while this process goes on serving requests."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from columns.models import Site, SiteHost

ROOT = Path(__file__).resolve().parents[2]
NEW_HOST = "newsite.example.gov.cn"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="web processes share the host map only through PostgreSQL and Redis",
    ),
    pytest.mark.django_db(transaction=True),
]


class AdminProcess:
    """Another process saving in one transaction, as the site admin does: it runs code,
    says "saved" and commits only when told, so requests can arrive in between."""

    def __init__(self, code):
        settings = connection.settings_dict
        url = (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        script = (
            "import sys\nfrom django.db import transaction\n"
            "from columns.models import Site, SiteHost, Unit\n"
            "with transaction.atomic():\n"
            + "".join(f"    {line}\n" for line in code.splitlines())
            + "    print('saved', flush=True)\n    sys.stdin.readline()\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def __enter__(self):
        if self.process.stdout.readline().strip() != "saved":
            self.process.kill()
            raise AssertionError(self.process.stderr.read())
        return self

    def commit(self):
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.process.wait(timeout=120) == 0, self.process.stderr.read()

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def visit(host, path="/"):
    return Client(HTTP_HOST=host).get(path)


#: A page no cache holds: the request goes through the site resolution.
UNCACHED = "/no-such-page/"


def test_a_host_added_in_another_process_answers_at_once(demo):
    assert visit("localhost").status_code == 200  # this process has the host map cached
    with AdminProcess(
        "SiteHost.objects.create("
        f"site=Site.objects.get(site_code='5201020001'), hostname='{NEW_HOST}')"
    ) as admin:
        # A request arriving while the admin's transaction is still open finds no site.
        assert visit(NEW_HOST, UNCACHED).status_code == 404
        admin.commit()
    response = visit(NEW_HOST)
    assert response.status_code == 200
    assert response.wsgi_request.site == demo


def test_a_new_site_answers_at_once_in_another_process(demo):
    assert visit("localhost").status_code == 200
    with AdminProcess(
        "site = Site.objects.create(name='示例区农业农村局', site_code='5201020099', "
        "sponsor='示例区农业农村局')\n"
        f"SiteHost.objects.create(site=site, hostname='{NEW_HOST}', is_primary=True)"
    ) as admin:
        assert visit(NEW_HOST, UNCACHED).status_code == 404
        admin.commit()
    response = visit(NEW_HOST)
    assert response.wsgi_request.site == Site.objects.get(site_code="5201020099")


def test_a_host_removed_in_another_process_stops_answering_at_once(demo):
    SiteHost.objects.create(site=demo, hostname=NEW_HOST)
    assert visit(NEW_HOST).status_code == 200
    with AdminProcess(f"SiteHost.objects.filter(hostname='{NEW_HOST}').delete()") as admin:
        # Not yet committed: the site still answers (and this process caches its host map).
        assert visit(NEW_HOST, UNCACHED).wsgi_request.site == demo
        admin.commit()
    assert visit(NEW_HOST).status_code == 404
