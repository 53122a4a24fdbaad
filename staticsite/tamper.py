"""防篡改 on what is served: every published file against its stored fingerprint (a stat and a
hash each), and a sample of live answers through the web server's address against it too; a
difference is alerted to the operators and the file restored from a fresh render, which the
public hosts then receive again."""

import hashlib
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from columns.notifications import notify
from columns.selectors import operators
from monitoring.http_fetch import USER_AGENT, site_opener

from . import rendering, services
from .models import PublishedPage

logger = logging.getLogger(__name__)

ON_DISK, SERVED = "on disk", "served"


@dataclass(frozen=True)
class Tampered:
    host: str
    path: str
    where: str  # ON_DISK or SERVED


def served_fingerprint(page):
    """The sha256 of what the web server answers for page now (at MONITORING_SITE_ADDRESS
    when set), or None when it does not answer 200."""
    url = f"{settings.MONITORING_SITE_SCHEME}://{page.host}{page.path}"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with site_opener(url).open(request, timeout=settings.MONITORING_HTTP_TIMEOUT) as answer:
            return hashlib.sha256(answer.read()).hexdigest()
    except (urllib.error.URLError, OSError, ValueError):
        return None  # not answering is the availability probe's finding, not a tamper


def check_served(*, sample=None):
    """Compare every file, and `sample` live answers chosen at random, with the fingerprints;
    alert on and restore each page that differs. Returns the Tampered found."""
    sample = settings.STATIC_PAGES_TAMPER_SAMPLE if sample is None else sample
    found = []
    pages = PublishedPage.objects.only("site_id", "host", "path", "file", "fingerprint")
    for page in pages.iterator():
        if rendering.file_fingerprint(page.file) != page.fingerprint:
            found.append((page, ON_DISK))
    on_disk = {page.pk for page, _where in found}
    for page in pages.exclude(pk__in=on_disk).order_by("?")[:sample]:
        served = served_fingerprint(page)
        if served is not None and served != page.fingerprint:
            found.append((page, SERVED))
    for page, where in found:
        _alert(page, where)
        services.publish_page(site_id=page.site_id, host=page.host, path=page.path, force=True)
    return [Tampered(page.host, page.path, where) for page, where in found]


def _alert(page, where):
    url = f"{settings.SITE_SCHEME}://{page.host}{page.path}"
    if where == ON_DISK:
        reason = _("the published file differs from the page as rendered; it was restored")
    else:
        reason = _("the web server answers other bytes than the published page; it was restored")
    logger.warning("tampered page %s (%s)", url, where)
    notify(
        operators(),
        kind="tamper_alert",
        title=_("Page may have been tampered with: %(title)s") % {"title": url},
        body=f"{url}\n{reason}",
        key=f"static-tamper:{page.pk}:{page.fingerprint}:{where}",
    )
