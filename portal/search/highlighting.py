"""高亮摘要 — a result's title and a passage of its text with the query's words marked.

Everything outside the <mark> tags is escaped, so a document's text can never become markup.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

#: Characters of context shown before the first hit, and the length of a snippet.
LEAD = 40
SNIPPET_LENGTH = 160


def _alternatives(words):
    """The words' surfaces as a regular expression's alternatives, longest first."""
    surfaces = sorted({s for word in words for s in word.surfaces}, key=len, reverse=True)
    return "|".join(re.escape(s) for s in surfaces)


def _spans(text, words):
    """Where the words occur in text, as [start, end] runs.

    Every occurrence counts, overlapping ones too (公租 and 租房 in 公租房), and runs that
    overlap or touch become one, so that adjacent words (教育 then 动态) are one mark; at
    each place the longest word is taken, so 义务教育 is marked whole.
    """
    if not words:
        return []
    spans = []
    for hit in re.finditer(f"(?=({_alternatives(words)}))", text, re.IGNORECASE):
        start, end = hit.span(1)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return spans


def highlight(text, words):
    """text, escaped, with every occurrence of the words in <mark>."""
    pieces = []
    last = 0
    for start, end in _spans(text, words):
        pieces.append(escape(text[last:start]))
        pieces.append(format_html("<mark>{}</mark>", text[start:end]))
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 — every piece was escaped above


def snippet(text, words):
    """A passage of text around the first hit (or its beginning), highlighted."""
    first = re.search(_alternatives(words), text, re.IGNORECASE) if words else None
    start = max(0, first.start() - LEAD) if first else 0
    end = start + SNIPPET_LENGTH
    passage = highlight(text[start:end], words)
    before = "…" if start > 0 else ""
    after = "…" if end < len(text) else ""
    return format_html("{}{}{}", before, passage, after)
