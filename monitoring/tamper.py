"""防篡改 — each article's approved text, fingerprinted when it is published; the check that the
database still holds it; and the one alert path of every tamper finding [G八(二)].

What is served (the published files and live answers through the web server) is checked by
staticsite.tamper, whose hourly task (staticsite.tasks.check_served_pages) runs this check too
and alerts through raise_alert: one task, one alert path. This check keeps its own signal: the
file check compares files with what the platform renders from the database, so an article
changed there behind the review would pass it. The publisher asks keep_approved_text before it
writes a page that shows an article's body, so such a change is never published: the approved
body is put back from the revision that holds it, or the page is held for staff.
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
from publishing.services import restore_approved_body

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
            _alert_text(fingerprint, reason)
            altered.append(fingerprint)
    return altered


def _alert_text(fingerprint, reason):
    article = fingerprint.article
    raise_alert(
        url=object_url(article),
        reason=reason,
        found_digest=digest(visible_text(article.body)),
        subject=str(article),
        fingerprint=fingerprint,
        unit=article.unit,
    )


#: What keep_approved_text did with an article's text changed behind the review.
RESTORED, HELD = "restored", "held"


def keep_approved_text(article_id):
    """Asked by the publisher before it writes a page that shows the article's body: None when
    the text in the database is the approved text (or none was fingerprinted: never published
    through the platform). Otherwise the finding is alerted (once per content) and the approved
    body put back from the newest revision that holds it: RESTORED, the page may be rendered
    again; HELD when no revision holds it or the fingerprint itself was altered (nothing here
    to trust): the page served stays as it is and staff decide. One query when unchanged."""
    fingerprint = (
        PageFingerprint.objects.select_related("article", "article__column", "article__unit")
        .filter(article_id=article_id)
        .first()
    )
    reason = _text_finding(fingerprint) if fingerprint is not None else ""
    if not reason:
        return None
    approved = None
    if digest(fingerprint.text) == fingerprint.digest:
        approved = _approved_revision(fingerprint)
    if approved is None:
        outcome = _("its page is held until staff restore the approved text")
    else:
        outcome = _("the approved text was put back and published")
    _alert_text(
        fingerprint, _("%(finding)s; %(outcome)s") % {"finding": reason, "outcome": outcome}
    )
    if approved is None:
        return HELD
    restore_approved_body(article=fingerprint.article, revision=approved)
    return RESTORED


def _approved_revision(fingerprint):
    """The newest revision whose body is the text the fingerprint holds, or None."""
    revisions = fingerprint.article.revisions.order_by("-number").only("number", "content")
    for revision in revisions:
        if visible_text(revision.content.get("body")) == fingerprint.text:
            return revision
    return None


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
