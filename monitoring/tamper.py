"""防篡改 — fingerprint each article's approved text when it is published; the probe checks
that the public page still carries it and alerts on a mismatch [G八(二)]."""

import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.notifications import notify
from columns.selectors import liaisons_of, operators

from .crawler import site_base_url
from .http_fetch import Fetcher
from .models import PageFingerprint, TamperAlert

_SPACE = re.compile(r"\s+")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def plain_text(html):
    """The text a reader sees in html (scripts and styles left out)."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return " ".join(parser.parts)


def visible_text(html):
    """plain_text without whitespace, so markup and layout changes don't count."""
    return _SPACE.sub("", plain_text(html))


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def take_fingerprint(article):
    """Called when the article is published: its sanitised body as approved."""
    text = visible_text(article.body)
    fingerprint, _created = PageFingerprint.objects.update_or_create(
        article=article,
        defaults={
            "text": text,
            "digest": digest(text),
            "taken_at": timezone.now(),
            "checked_at": None,
            "matched": None,
        },
    )
    return fingerprint


def drop_fingerprint(article):
    """A withdrawn or expired article is no longer served; nothing to compare."""
    PageFingerprint.objects.filter(article=article).delete()


def check_fingerprint(fingerprint, *, base_url=None, fetcher=None):
    """Compare the public page with the approved text; alert once per content served.

    A page that does not load is the availability probe's and the crawler's finding, not a
    tamper: its result stays unknown until it loads.
    """
    article = fingerprint.article
    site = article.column.site
    url = urljoin(base_url or site_base_url(site), article.get_absolute_url())
    outcome = (fetcher or Fetcher()).fetch(url, read_html=True)
    fingerprint.checked_at = timezone.now()
    if not outcome.ok or outcome.html is None:
        fingerprint.save(update_fields=["checked_at"])
        return None
    served = visible_text(outcome.html)
    reason = ""
    if digest(fingerprint.text) != fingerprint.digest:
        reason = _("the stored fingerprint was altered")
    elif visible_text(article.body) != fingerprint.text:
        reason = _("the article's text was changed without going through review")
    elif fingerprint.text not in served:
        reason = _("the page served differs from the approved text")
    fingerprint.matched = not reason
    with transaction.atomic():
        fingerprint.save(update_fields=["checked_at", "matched"])
        if reason:
            alert, created = TamperAlert.objects.get_or_create(
                fingerprint=fingerprint,
                served_digest=digest(served),
                defaults={
                    "url": url[:500],
                    "detected_at": fingerprint.checked_at,
                    "reason": reason,
                },
            )
            if created:
                notify(
                    [*operators(), *liaisons_of(article.unit)],
                    kind="tamper_alert",
                    title=_("Page may have been tampered with: %(title)s") % {"title": article},
                    body=f"{url}\n{reason}",
                    url=change_url(alert),
                    key=f"tamper:{fingerprint.pk}:{alert.served_digest}",
                )
            return alert
    return None


def check_due(*, limit=None, base_url=None):
    """The probe's round: the fingerprints checked longest ago (never checked first)."""
    due = PageFingerprint.objects.select_related(
        "article", "article__column__site", "article__unit"
    ).order_by(F("checked_at").asc(nulls_first=True), "pk")[
        : limit or settings.MONITORING_TAMPER_BATCH
    ]
    fetcher = Fetcher()
    return [check_fingerprint(fp, base_url=base_url, fetcher=fetcher) for fp in due]
