"""Checking an article: its title, summary, body (text and links) and attachments, and keeping
the latest findings on the article for the author and the reviewers to see."""

import html
import re
from dataclasses import replace

from django.db.models import Q

from ..models import ContentFinding
from ..models.checks import OVERRIDABLE_RULES
from .attachments import check_file, unreadable_finding
from .checker import check_text, platform_hosts
from .findings import Severity
from .links import links_in_html

# Block-level ends become line breaks so that digits in two paragraphs never join into one.
BLOCK_END = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/td|/th|/h[1-6]|/blockquote)\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]*>")


def plain_text(body):
    """The readable text of an HTML body."""
    return html.unescape(TAG.sub("", BLOCK_END.sub("\n", body or "")))


def check_article(article, *, fetch_links=True):
    """All findings for article, each with its source (title, summary, body or a file name)."""
    hosts = platform_hosts()
    findings = []
    for source, text in (("title", article.title), ("summary", article.summary)):
        findings.extend(replace(f, source=source) for f in check_text(text, hosts=hosts))
    body = check_text(
        plain_text(article.body),
        hrefs=links_in_html(article.body),
        fetch_links=fetch_links,
        hosts=hosts,
    )
    findings.extend(replace(f, source="body") for f in body)
    if article.pk is not None:
        for attachment in article.attachments.all():
            findings.extend(_check_attachment(attachment, hosts))
    return findings


def _check_attachment(attachment, hosts):
    name = str(attachment)
    try:
        with attachment.file.open("rb") as stored:
            data = stored.read()
    except OSError as error:  # the stored file went missing
        return [unreadable_finding(name, str(error))]
    return check_file(attachment.file.name, data, source=name, hosts=hosts)


def record_findings(article, findings):
    """Replace the article's stored findings with findings."""
    ContentFinding.objects.filter(article=article).delete()
    ContentFinding.objects.bulk_create(
        ContentFinding(
            article=article,
            source=finding.source[:200],
            rule=finding.rule,
            severity=finding.severity,
            category=str(finding.category)[:100],
            match=finding.match[:500],
            start=finding.start,
            end=finding.end,
            suggestion=str(finding.suggestion)[:500],
            fingerprint=finding.fingerprint,
        )
        for finding in findings
    )


def awaiting_override(run):
    """The article's overridable block findings no reviewer has let through on run yet."""
    overridden = Q()
    for fingerprint, source in run.finding_overrides.values_list("fingerprint", "source"):
        overridden |= Q(fingerprint=fingerprint, source=source)
    pending = ContentFinding.objects.filter(
        article_id=run.article_id, severity=Severity.BLOCK, rule__in=OVERRIDABLE_RULES
    )
    return pending.exclude(overridden) if overridden else pending
