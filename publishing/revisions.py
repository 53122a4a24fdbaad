"""What changed between two revisions of an article, field by field and line by line."""

import difflib
import re

from django.utils.html import strip_tags

from .models import Article

#: Block-level tags end a line of the body, so a diff shows whole paragraphs.
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|div|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def _label(name):
    if name == "column":
        return Article._meta.get_field("column").verbose_name
    return Article._meta.get_field(name).verbose_name


def _lines(value, field):
    text = "" if value is None else str(value)
    if field == "body":
        text = _BLOCK_END.sub("\n", text)
        return [line.strip() for line in strip_tags(text).splitlines() if line.strip()]
    return [text] if text else []


def revision_diff(older, newer):
    """[(label, [(sign, line), ...])] for each field that differs; sign is +, - or a space."""
    before = older.content if older is not None else {}
    changes = []
    for field, new_value in newer.content.items():
        old_value = before.get(field)
        if old_value == new_value:
            continue
        lines = []
        for line in difflib.ndiff(_lines(old_value, field), _lines(new_value, field)):
            sign, text = line[:1], line[2:]
            if sign in "+- ":
                lines.append((sign, text))
        changes.append((_label(field), lines))
    return changes
