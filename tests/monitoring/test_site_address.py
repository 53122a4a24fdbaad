"""可用性探测 of a running portal: with MONITORING_SITE_ADDRESS the probes reach the sites at
the address the portal serves (as `make run` and an nginx host configure it), each site by
its own host name."""

from urllib.parse import urlsplit

import pytest

from columns.models import Site
from monitoring import tasks
from monitoring.crawler import site_base_url
from monitoring.http_fetch import Fetcher
from monitoring.models import AvailabilityProbe, Outage

pytestmark = pytest.mark.django_db(transaction=True)


def latest_probes():
    return {
        site: AvailabilityProbe.objects.filter(site=site).latest("probed_at")
        for site in Site.objects.filter(status=Site.Status.OPEN)
    }


def test_the_beat_probe_of_every_demo_site_loads_at_the_site_address(demo, live_server, settings):
    settings.MONITORING_PROBE_TIMEOUT = 2
    settings.MONITORING_SITE_ADDRESS = "127.0.0.1:9"  # nothing listens there
    assert set(tasks.probe_availability.apply().get().values()) == {False}
    for site, probe in latest_probes().items():
        assert probe.status_code is None and probe.error.startswith("无法连接")
        assert Outage.objects.filter(site=site, ended_at__isnull=True).exists()

    settings.MONITORING_SITE_ADDRESS = f"127.0.0.1:{urlsplit(live_server.url).port}"
    result = tasks.probe_availability.apply().get()

    probes = latest_probes()
    assert len(probes) == 2 and result == {site.pk: True for site in probes}
    for probe in probes.values():
        assert probe.ok and probe.status_code == 200 and probe.error == ""
    assert not Outage.objects.filter(ended_at__isnull=True).exists()
    # Each probe reached its own site: the sub-site's homepage, not the portal's.
    edu = Site.objects.get(site_code="5201020002")
    served = Fetcher().fetch(site_base_url(edu), read_html=True)
    assert served.ok and edu.name in served.html
    assert served.final_url == "http://edu.localhost/"
