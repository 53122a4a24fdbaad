"""Why a site or link failed is said in words, never as the socket's "[Errno 111]"."""

import pytest

from monitoring import availability

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "base_url, raw",
    [
        ("http://127.0.0.1:9/", "Connection refused"),
        ("http://no-such-host.invalid/", "Name or service not known"),
    ],
)
def test_probe_failure_is_said_in_words(demo, base_url, raw):
    down = availability.probe_site(demo, base_url=base_url)
    assert not down.ok
    assert down.error.startswith("无法连接")
    assert "Errno" not in down.error and raw not in down.error
