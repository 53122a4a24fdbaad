"""Marks the content check's findings in place in an article's body, for the reviewer who reads
it rendered: each finding's text inside the HTML's text (never inside a tag) gets a <mark>."""

import html
import re

from django.utils.safestring import mark_safe

TAG = re.compile(r"(<[^>]*>)")


def mark_findings(body, matches):
    """body (sanitised HTML) with every occurrence of each matched text wrapped in <mark>;
    the longest text first, so a finding inside another is not marked twice."""
    texts = sorted({m for m in matches if m}, key=len, reverse=True)
    if not texts:
        return mark_safe(body)
    # The body's text is HTML-escaped; the findings' are plain.
    pattern = re.compile("|".join(re.escape(html.escape(t, quote=False)) for t in texts))
    parts = TAG.split(body)
    for index in range(0, len(parts), 2):  # even parts are text, odd ones tags
        parts[index] = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", parts[index])
    return mark_safe("".join(parts))
