"""内容检查 — the one pre-publication checker for articles, attachments and citizen messages.

    from publishing.content_checks import check_text
    findings = check_text(text)          # -> list[Finding]

Each Finding has rule, severity ("block" | "warn"), category, match (masked for personal
data), start, end and suggestion. check_file(name, data) does the same for an attachment's
extracted text and reports a "cannot read" finding for a corrupt or encrypted file.
"""

from .articles import awaiting_override, check_article, record_findings
from .attachments import check_file
from .checker import check_text
from .findings import Finding, Rule, Severity

__all__ = [
    "Finding",
    "Rule",
    "Severity",
    "awaiting_override",
    "check_article",
    "check_file",
    "check_text",
    "record_findings",
]
