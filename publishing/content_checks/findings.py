"""What a content check reports: one Finding per problem found in a text or an attachment."""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

from ..models.checks import OVERRIDABLE_RULES, FindingRule


class Severity:
    """处理方式 — a block finding must be fixed (or, where overridable, let through by a
    reviewer with a reason); a warn finding is shown only."""

    BLOCK = "block"
    WARN = "warn"


#: The rules findings carry, with their labels; stored on ContentFinding as choices.
Rule = FindingRule


@dataclass(frozen=True)
class Finding:
    """检查发现 — one problem: which rule, how severe, the (masked) text, where, and the fix.

    start/end index the checked text (for an attachment, its extracted text); source says
    which text that was ("" for the text given, else e.g. "title" or an attachment's name).
    fingerprint identifies the raw match without revealing it, so a reviewer's override
    still applies when the same text is checked again.
    """

    rule: str
    severity: str
    category: str
    match: str
    start: int
    end: int
    suggestion: str = ""
    source: str = ""
    fingerprint: str = ""

    def __post_init__(self):
        # Plain strings (not enum members or lazy translations), so callers can store and
        # serialise findings as they are.
        for name in ("rule", "severity", "category", "match", "suggestion", "source"):
            object.__setattr__(self, name, str(getattr(self, name)))
        if not self.fingerprint:  # unmasked matches name themselves
            object.__setattr__(self, "fingerprint", fingerprint_of(self.rule, self.match))

    @property
    def blocks(self):
        return self.severity == Severity.BLOCK

    @property
    def overridable(self):
        return self.blocks and self.rule in OVERRIDABLE_RULES

    @property
    def rule_label(self):
        return FindingRule(self.rule).label


def fingerprint_of(rule, raw):
    """A stable, non-reversible name for one raw match under one rule.

    Keyed with SECRET_KEY: ID and phone numbers are too few to hide behind a plain hash.
    """
    message = f"{rule}\x00{raw}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]
