"""个人信息 — finding resident ID, mobile, bank card numbers and private e-mail addresses.

Numbers are only taken when they stand alone (no digit right before or after), so a mobile
number inside a longer digit run or a document serial is not reported; ID numbers must pass
the GB 11643 check digit and carry a real birth date, bank cards the Luhn check.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

from .findings import Finding, Rule, Severity, fingerprint_of

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"

ID_18 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
ID_15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{14}(?![0-9A-Za-z])")
# 中国大陆手机号: 1[3-9] and 9 more digits, optionally +86 and grouped 3-4-4.
MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9A-Za-z])")
# 16-19 digits, optionally grouped by single spaces or hyphens; card networks start 3-6.
BANK_CARD = re.compile(r"(?<![0-9A-Za-z])[3-6]\d{3}(?:[- ]?\d){12,15}(?![0-9A-Za-z])")
EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])", re.ASCII
)

#: Where a number worth a closer look may be: 11 or more digits, give or take separators.
NUMBER_CANDIDATE = re.compile(r"[0-9][0-9 \-]{9,}[0-9Xx]")
#: Characters before a candidate that can belong to the number ("+86 ") or decide it.
CANDIDATE_MARGIN = 5

#: Full-width digits, Ｘ, ＠, ＋ and － (typed with a Chinese input method) read as ASCII; one
#: character for one, so positions stay those of the text.
FULL_WIDTH = re.compile("[\uff10-\uff19\uff38\uff58\uff20\uff0b\uff0d]")
HALF_WIDTH = {
    code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), 0xFF38, 0xFF58, 0xFF20, 0xFF0B, 0xFF0D)
}

#: 政府网站域名: mail at these domains is official, not a private person's.
GOVERNMENT_MAIL_DOMAINS = ("gov.cn",)


def gb11643_check_character(first17):
    """The 18th character of a resident ID number under GB 11643-1999 (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def _real_date(year, month, day):
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def is_resident_id(number):
    """A valid 18-digit (check digit and birth date) or old 15-digit (birth date) ID number."""
    if len(number) == 18:
        return gb11643_check_character(number[:17]) == number[17].upper() and _real_date(
            int(number[6:10]), int(number[10:12]), int(number[12:14])
        )
    if len(number) == 15 and number.isdigit():
        return _real_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


def passes_luhn(number):
    """The Luhn (mod 10) check bank card numbers carry."""
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask_middle(text, keep_start, keep_end):
    """Keep keep_start and keep_end characters, star the rest, keeping separators."""
    positions = [i for i, char in enumerate(text) if char.isalnum()]
    hidden = set(positions[keep_start : len(positions) - keep_end])
    return "".join("*" if i in hidden else char for i, char in enumerate(text))


def mask_email(address):
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def _finding(rule, match, masked, category):
    return Finding(
        rule=rule,
        severity=Severity.BLOCK,
        category=category,
        match=masked,
        start=match.start(),
        end=match.end(),
        suggestion=_("Remove or mask the personal data before publishing."),
        fingerprint=fingerprint_of(rule, match.group()),
    )


def _is_government_mail(domain, extra_domains):
    domain = domain.lower()
    return any(
        domain == allowed or domain.endswith("." + allowed)
        for allowed in (*GOVERNMENT_MAIL_DOMAINS, *extra_domains)
    )


def _number_windows(text):
    """(start, end) stretches of text around each number candidate, merged where they meet.

    Each reaches CANDIDATE_MARGIN characters before its candidate and one after, so the
    patterns' own boundary checks see the characters around the number.
    """
    windows = []
    for candidate in NUMBER_CANDIDATE.finditer(text):
        start = max(0, candidate.start() - CANDIDATE_MARGIN)
        end = min(len(text), candidate.end() + 1)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def find_personal_data(text, *, government_domains=()):
    """Every piece of personal data in text, as block findings with masked matches."""
    if FULL_WIDTH.search(text):
        text = text.translate(HALF_WIDTH)
    category = str(_("Personal data"))
    findings = []
    taken = []  # spans already reported, so an ID number is not also a card number

    def free(match):
        return all(match.end() <= start or match.start() >= end for start, end in taken)

    windows = _number_windows(text)

    def matches(pattern):
        # Only where candidates are: a long text is mostly words, scanned once above.
        for start, end in windows:
            yield from pattern.finditer(text, start, end)

    for pattern in (ID_18, ID_15):
        for match in matches(pattern):
            if is_resident_id(match.group()):
                taken.append(match.span())
                masked = _mask_middle(match.group(), 6, 4)
                findings.append(_finding(Rule.ID_NUMBER, match, masked, category))
    for match in matches(BANK_CARD):
        digits = re.sub(r"\D", "", match.group())
        if 16 <= len(digits) <= 19 and passes_luhn(digits) and free(match):
            taken.append(match.span())
            masked = _mask_middle(match.group(), 4, 4)
            findings.append(_finding(Rule.BANK_CARD, match, masked, category))
    for match in matches(MOBILE):
        if free(match):
            # Keep the operator prefix (and +86 if written): 138****5678.
            with_country = len(re.sub(r"\D", "", match.group())) == 13
            masked = _mask_middle(match.group(), 5 if with_country else 3, 4)
            findings.append(_finding(Rule.MOBILE_NUMBER, match, masked, category))
    for match in EMAIL.finditer(text) if "@" in text else ():
        if not _is_government_mail(match.group(1), government_domains):
            findings.append(_finding(Rule.EMAIL, match, mask_email(match.group()), category))
    return findings


def mask_found(text):
    """text with each piece of personal data the checker finds replaced by its masked form
    (110105********1234, 138****5678): what staff who may not read it see."""
    text = text or ""
    findings = sorted((f.start, f.end, f.match) for f in find_personal_data(text))
    pieces, done = [], 0
    for start, end, masked in findings:
        if start >= done:  # overlapping findings: the first one masks the stretch
            pieces += [text[done:start], masked]
            done = end
    pieces.append(text[done:])
    return "".join(pieces)
