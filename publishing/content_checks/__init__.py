"""内容检查 — the one pre-publication checker for articles, attachments and citizen messages.

    from publishing.content_checks import check_text
    findings = check_text(text)          # -> list[Finding]

Each Finding has rule, severity ("block" | "warn"), category, match (masked for personal
data), start, end and suggestion; finding.overridable says whether a reviewer may let a
block through with a reason (personal data, unreadable attachments). Links are fetched only
when asked (check_text(text, fetch_links=True)); a citizen's links never are by default.

check_file(name, data) checks the text of a PDF, DOCX, XLSX or TXT file (bytes) the same
way, each finding's source being the file name; a corrupt, encrypted or unsupported file
gives one "unreadable_attachment" block finding ("无法读取…") instead of an exception.
check_article(article) checks an article's title, summary, body, links and attachments.
"""

from .articles import awaiting_override, check_article, record_findings
from .attachments import check_file
from .checker import check_text
from .findings import Finding, Rule, Severity
from .lexicon import current_lexicon

__all__ = [
    "Finding",
    "Rule",
    "Severity",
    "awaiting_override",
    "check_article",
    "check_file",
    "check_text",
    "current_lexicon",
    "record_findings",
]
