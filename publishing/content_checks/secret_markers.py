"""密级标志 — classification markings in the forms they are written in, not the bare words.

A marking is a level with a 密级 label (密级：机密) or a level with its star and usually a
term (机密★1年, 绝密★长期). Between its characters a copied document may carry spaces,
&nbsp;, full- or half-width colons and HTML tags (<strong>机密</strong>★); they are allowed
there. The levels alone are ordinary words (保守国家机密, 商业秘密) and are not matched.
"""

import re

from django.utils.translation import gettext as _

from .findings import Finding, Rule, Severity

# Whitespace (including U+3000 and U+00A0), an HTML tag or a written-out non-breaking space.
_GAP = r"(?:\s|&nbsp;|&#160;|&#xa0;|<[^<>]{0,200}>)*"


def _spaced(word):
    """word with a gap allowed between its characters."""
    return _GAP.join(re.escape(character) for character in word)


_LEVEL = "(?:" + "|".join(_spaced(level) for level in ("绝密", "机密", "秘密")) + ")"
_NUMBER = r"[0-9０-９一二三四五六七八九十百]+"
_TERM = f"(?:{_spaced('长期')}|{_NUMBER}{_GAP}(?:个{_GAP}月|年|月|天|日))"
# 密级 or 密级和保密期限, then a colon, bracket or nothing, then the level.
_LABELLED = (
    f"{_spaced('密级')}(?:{_GAP}{_spaced('和保密期限')})?"
    rf"{_GAP}[:：\]】)）]?{_GAP}{_LEVEL}(?:{_GAP}[★☆*＊](?:{_GAP}{_TERM})?)?"
)
# The star alone says "marking"; an asterisk (a star typed on a keyboard) only with a term.
_STARRED = f"{_LEVEL}{_GAP}(?:[★☆](?:{_GAP}{_TERM})?|[*＊]{_GAP}{_TERM})"
SECRET_MARKING = re.compile(f"{_LABELLED}|{_STARRED}")


def find_secret_markings(text):
    """A block finding for every classification marking in text (plain text or HTML)."""
    category = str(_("Secret marker"))
    suggestion = str(_("Secret or internal material must not be published; remove it."))
    return [
        Finding(
            rule=Rule.SECRET_MARKER,
            severity=Severity.BLOCK,
            category=category,
            match=match.group(),
            start=match.start(),
            end=match.end(),
            suggestion=suggestion,
        )
        for match in SECRET_MARKING.finditer(text)
    ]
