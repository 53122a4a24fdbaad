"""The loopback installation from deploy/, brought up once per test module."""

import pytest
from django.conf import settings
from django.db import connection

from .installation import Installation


@pytest.fixture(scope="module")
def installation(tmp_path_factory, django_db_setup):
    """Every process of an installation built from deploy/, running until the module ends."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("the installation runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    install = Installation(tmp_path_factory.mktemp("installation"))
    try:
        install.bring_up()
        yield install
    finally:
        install.close()
