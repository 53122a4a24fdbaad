"""The loopback installation from deploy/, brought up once per test process."""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .installation import ROOT, Installation

#: The processes' logs are kept here after the run, for whoever reads a failure.
LOGS = ROOT / "var" / "installation-logs"


@pytest.fixture(scope="session")
def installation(django_db_setup):
    """Every process of an installation built from deploy/, running until the tests end."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("the installation runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    # Not under pytest's temporary directory, which only its owner may enter: nginx's workers
    # run as another account (nobody under root, www-data in production) and read the media
    # as any account may.
    directory = Path(tempfile.mkdtemp(prefix="portal-installation-"))
    directory.chmod(0o755)
    install = Installation(directory)
    try:
        install.bring_up()
        yield install
    finally:
        install.close()
        LOGS.mkdir(parents=True, exist_ok=True)
        for log in directory.glob("*.log"):
            shutil.copy(log, LOGS / log.name)
        shutil.rmtree(directory, ignore_errors=True)


def pytest_collection_modifyitems(items):
    """All installation tests in one test process (make test runs with --dist loadgroup): two
    installations at once would start twice the processes on a 2-core machine."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.xdist_group("installation"))
