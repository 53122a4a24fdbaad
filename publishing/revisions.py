"""What changed between two revisions of an article, field by field and line by line, with
personal data masked for whoever may not read it."""

import difflib
import re

from django.utils.html import strip_tags

from columns.audit import record

from .content_checks.personal_data import find_personal_data, mask_found
from .models import Article
from .selectors import may_see_personal_data

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


def revision_diff(older, newer, *, masked=False):
    """[(label, [(sign, line), ...])] for each field that differs; sign is +, - or a space.
    masked: each line with its personal data masked."""
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
                lines.append((sign, mask_found(text) if masked else text))
        changes.append((_label(field), lines))
    return changes


def revision_history(*, article, number=None, by, request=None):
    """修订记录 — the article's revisions, newest first, the one chosen (number, else the
    newest), the one before it and what changed between them.

    A removed ID number stays in the revisions that held it: whoever may not see personal
    data reads the changes masked; a view that shows it unmasked is recorded in the log.
    """
    revisions = list(article.revisions.select_related("created_by").order_by("-number"))
    chosen = next((r for r in revisions if str(r.number) == str(number)), None)
    chosen = chosen or (revisions[0] if revisions else None)
    previous = next((r for r in revisions if chosen and r.number < chosen.number), None)
    unmasked = may_see_personal_data(by, article)
    changes = revision_diff(previous, chosen, masked=not unmasked) if chosen else []
    if unmasked and any(find_personal_data(text) for _l, lines in changes for _s, text in lines):
        record(
            "revision_personal_data_viewed",
            actor=by,
            target=article,
            detail={"revision": chosen.number},
            request=request,
        )
    return {"revisions": revisions, "chosen": chosen, "previous": previous, "changes": changes}
