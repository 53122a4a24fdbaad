"""网站可用性 — each site's homepage requested on a schedule; outages and uptime [Q§25, G九(二)]."""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.models import Site
from columns.notifications import notify
from columns.selectors import operators

from .crawler import site_base_url
from .http_fetch import Fetcher
from .models import AvailabilityProbe, Outage


def probe_site(site, *, base_url=None, at=None):
    """Request site's homepage once; open an outage on the first failure, close it on the
    first success. An unreachable site is a probe result, never an error."""
    at = at or timezone.now()
    outcome = Fetcher(timeout=settings.MONITORING_PROBE_TIMEOUT).fetch(
        base_url or site_base_url(site)
    )
    with transaction.atomic():
        probe = AvailabilityProbe.objects.create(
            site=site,
            probed_at=at,
            ok=outcome.ok,
            status_code=outcome.status_code,
            response_ms=outcome.elapsed_ms,
            error=outcome.problem[:300],
        )
        current = Outage.objects.select_for_update().filter(site=site, ended_at__isnull=True)
        current = current.first()
        if outcome.ok and current is not None:
            current.ended_at = at
            current.save(update_fields=["ended_at"])
        elif not outcome.ok and current is None:
            current = Outage.objects.create(
                site=site, started_at=at, first_error=outcome.problem[:300]
            )
            notify(
                operators(),
                kind="site_outage",
                title=_("Site unreachable: %(site)s") % {"site": site},
                body=outcome.problem,
                url=change_url(current),
                key=f"outage:{site.pk}:{at.isoformat()}",
            )
    return probe


def probe_all():
    return [probe_site(site) for site in Site.objects.filter(status=Site.Status.OPEN)]


def monthly_uptime(site, *, at=None):
    """The share of this calendar month's probes of site that loaded, or None without probes."""
    return monthly_uptimes([site], at=at)[site.pk]


def monthly_uptimes(sites, *, at=None):
    """{site pk: monthly_uptime} for sites, in one query."""
    local = timezone.localtime(at or timezone.now())
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    figures = {
        row["site"]: row
        for row in AvailabilityProbe.objects.filter(site__in=sites, probed_at__gte=start)
        .order_by()
        .values("site")
        .annotate(probes=Count("pk"), loaded=Count("pk", filter=Q(ok=True)))
    }
    return {
        site.pk: figures[site.pk]["loaded"] / figures[site.pk]["probes"]
        if site.pk in figures
        else None
        for site in sites
    }
