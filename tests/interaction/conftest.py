"""Fixtures for the mailbox: message factories, units by name, the one clock, captcha."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from columns.models import Site, Unit
from interaction import services


@pytest.fixture(autouse=True)
def _captcha_test_mode(monkeypatch, settings, tmp_path):
    """django-simple-captcha accepts "PASSED" (its test mode); uploads land in tmp_path."""
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def unit_named(demo):
    return lambda name: Unit.objects.get(name=name)


@pytest.fixture
def portal(demo):
    return demo


@pytest.fixture
def edu_site(demo):
    return Site.objects.get(site_code="5201020002")


@pytest.fixture
def submit(portal):
    """submit(subject=..., kind=..., **fields) -> (message, password), through the service."""

    def make(subject="咨询学校招生政策", kind="consultation", site=None, **fields):
        values = {
            "content": "请问今年的招生政策有哪些变化？",
            "name": "张三",
            "phone": "13900001111",
            "email": "zhangsan@example.com",
        }
        values.update(fields)
        return services.submit_message(site=site or portal, kind=kind, subject=subject, **values)

    return make


@pytest.fixture
def routed(submit, unit_named, user_named):
    """routed(unit="区教育局", **submit fields) -> a message assigned to the unit."""

    def make(unit="区教育局", **fields):
        message, _password = submit(**fields)
        return services.route(message=message, by=user_named("dispatcher"), unit=unit_named(unit))

    return make


@pytest.fixture
def clock(monkeypatch):
    """clock.set(datetime) / clock.move(days=…): the one clock (django.utils.timezone.now)."""

    class Clock:
        def set(self, moment):
            self.now = moment
            monkeypatch.setattr(timezone, "now", lambda: self.now)
            return moment

        def move(self, **delta):
            return self.set(timezone.now() + timedelta(**delta))

        def on(self, day, hour=10):
            return self.set(timezone.make_aware(datetime.combine(day, time(hour))))

    return Clock()
