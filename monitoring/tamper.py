"""防篡改 — each article's approved text, fingerprinted when it is published; the check that the
database still holds it; and the one alert path of every tamper finding [G八(二)].

What is served (the published files and live answers through the web server) is checked by
staticsite.tamper, whose hourly task (staticsite.tasks.check_served_pages) runs this check too
and alerts through raise_alert: one task, one alert path. This check keeps its own signal: the
file check compares files with what the platform renders from the database, so an article
changed there behind the review would pass it, and be published by the next render.
"""

import hashlib
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.admin_links import change_url
from columns.notifications import notify
from columns.selectors import liaisons_of, operators
from columns.site_urls import object_url
from publishing.sanitising import reader_text

from .models import PageFingerprint, TamperAlert

_SPACE = re.compile(r"\s+")


def visible_text(html):
    """reader_text without whitespace, so markup and layout changes don't count."""
    return _SPACE.sub("", reader_text(html))


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


def _text_finding(fingerprint):
    """Why the article's text in the database is not the approved text, or "" when it is."""
    if digest(fingerprint.text) != fingerprint.digest:
        return _("the stored fingerprint was altered")
    if visible_text(fingerprint.article.body) != fingerprint.text:
        return _("the article's text was changed without going through review")
    return ""


def check_article_texts(*, limit=None):
    """The fingerprints checked longest ago (never checked first) against their articles' text
    in the database; alerts on each that differs. Returns the fingerprints that differ."""
    due = PageFingerprint.objects.select_related(
        "article", "article__column", "article__unit"
    ).order_by(F("checked_at").asc(nulls_first=True), "pk")[
        : limit or settings.MONITORING_TAMPER_BATCH
    ]
    now, altered = timezone.now(), []
    for fingerprint in due:
        reason = _text_finding(fingerprint)
        fingerprint.checked_at, fingerprint.matched = now, not reason
        fingerprint.save(update_fields=["checked_at", "matched"])
        if reason:
            article = fingerprint.article
            raise_alert(
                url=object_url(article),
                reason=reason,
                found_digest=digest(visible_text(article.body)),
                subject=str(article),
                fingerprint=fingerprint,
                unit=article.unit,
            )
            altered.append(fingerprint)
    return altered


@transaction.atomic
def raise_alert(*, url, reason, found_digest, subject, fingerprint=None, unit=None):
    """The one way a tamper finding is told, whoever found it: a TamperAlert (one per page and
    content found, so an hourly check finding the same again adds nothing) and a notification
    to the operators, and to the liaisons of unit when the page is one of its articles."""
    alert, created = TamperAlert.objects.get_or_create(
        fingerprint=fingerprint,
        url=url[:500],
        served_digest=found_digest,
        defaults={"detected_at": timezone.now(), "reason": reason[:200]},
    )
    if created:
        notify(
            [*operators(), *liaisons_of(unit)],
            kind="tamper_alert",
            title=_("Page may have been tampered with: %(title)s") % {"title": subject},
            body=f"{url}\n{reason}",
            url=change_url(alert),
            key=f"tamper:{alert.pk}",
        )
    return alert
