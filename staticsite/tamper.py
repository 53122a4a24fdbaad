"""防篡改, the one tamper check: every published file against its stored fingerprint (a stat and
a hash each), and a sample of live answers through the web server's address against it too; a
difference is alerted and the file restored from a fresh render, which the public hosts then
receive again. The same run checks a batch of articles' text in the database against the text
approved (monitoring.tamper.check_article_texts): a change there passes the file check, as the
files are rendered from the database (no render publishes it: services.publish_page). Every
finding is told through monitoring.tamper.raise_alert (a TamperAlert record and one
notification)."""

import hashlib
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from columns.site_urls import object_url
from monitoring import tamper as article_tamper
from monitoring.http_fetch import USER_AGENT, site_opener

from . import rendering, services
from .models import PublishedPage

logger = logging.getLogger(__name__)

ON_DISK, SERVED, IN_DATABASE = "on disk", "served", "in the database"


@dataclass(frozen=True)
class Tampered:
    host: str
    path: str
    where: str  # ON_DISK, SERVED or IN_DATABASE


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
    """The tamper check (防篡改), hourly: every file, and `sample` live answers chosen at
    random, against the fingerprints, each page that differs alerted and restored; then a
    batch of articles' text in the database against their approved text (monitoring.tamper).
    Returns the Tampered found."""
    sample = settings.STATIC_PAGES_TAMPER_SAMPLE if sample is None else sample
    found = []
    pages = PublishedPage.objects.only("site_id", "host", "path", "file", "fingerprint")
    for page in pages.iterator():
        on_disk = rendering.file_fingerprint(page.file)
        if on_disk != page.fingerprint:
            found.append((page, ON_DISK, on_disk))
    differing = {page.pk for page, _where, _digest in found}
    for page in pages.exclude(pk__in=differing).order_by("?")[:sample]:
        served = served_fingerprint(page)
        if served is not None and served != page.fingerprint:
            found.append((page, SERVED, served))
    for page, where, found_digest in found:
        _alert(page, where, found_digest)
        services.publish_page(site_id=page.site_id, host=page.host, path=page.path, force=True)
    tampered = [Tampered(page.host, page.path, where) for page, where, _digest in found]
    for fingerprint in article_tamper.check_article_texts():
        url = urlsplit(object_url(fingerprint.article))
        tampered.append(Tampered(url.hostname, url.path, IN_DATABASE))
    return tampered


def _alert(page, where, found_digest):
    url = f"{settings.SITE_SCHEME}://{page.host}{page.path}"
    if where == ON_DISK:
        reason = _("the published file differs from the page as rendered; it was restored")
    else:
        reason = _("the web server answers other bytes than the published page; it was restored")
    logger.warning("tampered page %s (%s)", url, where)
    article_tamper.raise_alert(url=url, reason=reason, found_digest=found_digest or "", subject=url)
