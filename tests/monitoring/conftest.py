"""Fixtures of monitoring's tests."""

import pytest
from django.utils import timezone


@pytest.fixture
def clock(monkeypatch):
    """clock.set(datetime) fixes the one clock (django.utils.timezone.now) at an instant."""

    class Clock:
        def set(self, instant):
            self.now = instant
            monkeypatch.setattr(timezone, "now", lambda: self.now)
            return instant

    return Clock()
