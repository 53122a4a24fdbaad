"""高亮摘要 — a result's title and a passage of its text with the query's words marked.

Everything outside the <mark> tags is escaped, so a document's text can never become markup.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

#: Characters of context shown before the first hit, and the length of a snippet.
LEAD = 40
SNIPPET_LENGTH = 160


def _pattern(words):
    surfaces = {s for word in words for s in word.surfaces}
    # Longest first, so that 义务教育 is marked whole rather than as 义务 and 教育; a run of
    # adjacent words (教育 then 动态) becomes one mark.
    alternatives = sorted(surfaces, key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(re.escape(s) for s in alternatives)})+", re.IGNORECASE)


def highlight(text, words):
    """text, escaped, with every occurrence of the words in <mark>."""
    if not words:
        return escape(text)
    pieces = []
    last = 0
    for hit in _pattern(words).finditer(text):
        pieces.append(escape(text[last : hit.start()]))
        pieces.append(format_html("<mark>{}</mark>", hit.group()))
        last = hit.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 — every piece was escaped above


def snippet(text, words):
    """A passage of text around the first hit (or its beginning), highlighted."""
    first = _pattern(words).search(text) if words else None
    start = max(0, first.start() - LEAD) if first else 0
    end = start + SNIPPET_LENGTH
    passage = highlight(text[start:end], words)
    before = "…" if start > 0 else ""
    after = "…" if end < len(text) else ""
    return format_html("{}{}{}", before, passage, after)
