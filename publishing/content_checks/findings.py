"""What a content check reports: one Finding per problem found in a text or an attachment."""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class Severity:
    """处理方式 — a block finding keeps the text out of review; a warn finding is shown only."""

    BLOCK = "block"
    WARN = "warn"


class Rule:
    """检查规则 — the names findings carry; stable, stored and shown translated."""

    SECRET_MARKER = "secret_marker"
    SENSITIVE_WORD = "sensitive_word"
    WORDING = "wording"
    ID_NUMBER = "id_number"
    MOBILE_NUMBER = "mobile_number"
    BANK_CARD = "bank_card"
    EMAIL = "email"
    BLOCKED_LINK = "blocked_link"
    INTERNAL_LINK = "internal_link"
    EXTERNAL_LINK = "external_link"
    UNREADABLE_ATTACHMENT = "unreadable_attachment"

    LABELS = {
        SECRET_MARKER: _("Secret marker"),
        SENSITIVE_WORD: _("Sensitive word"),
        WORDING: _("Wording error"),
        ID_NUMBER: _("Resident ID number"),
        MOBILE_NUMBER: _("Mobile number"),
        BANK_CARD: _("Bank card number"),
        EMAIL: _("Private e-mail address"),
        BLOCKED_LINK: _("Link to an advertising or gambling site"),
        INTERNAL_LINK: _("Link to a missing or unpublished page"),
        EXTERNAL_LINK: _("External link that does not work"),
        UNREADABLE_ATTACHMENT: _("Attachment cannot be read"),
    }

    #: Blocks a reviewer may let through with a recorded reason (个人信息 and unreadable
    #: attachments a person has to open); the others must be fixed by the author.
    OVERRIDABLE = frozenset({ID_NUMBER, MOBILE_NUMBER, BANK_CARD, EMAIL, UNREADABLE_ATTACHMENT})


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
        if not self.fingerprint:  # unmasked matches name themselves
            object.__setattr__(self, "fingerprint", fingerprint_of(self.rule, self.match))

    @property
    def blocks(self):
        return self.severity == Severity.BLOCK

    @property
    def overridable(self):
        return self.blocks and self.rule in Rule.OVERRIDABLE

    @property
    def rule_label(self):
        return Rule.LABELS.get(self.rule, self.rule)


def fingerprint_of(rule, raw):
    """A stable, non-reversible name for one raw match under one rule.

    Keyed with SECRET_KEY: ID and phone numbers are too few to hide behind a plain hash.
    """
    message = f"{rule}\x00{raw}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]
