"""Publishing's models, one module per aggregate; re-exported here for Django and callers.

Depends on columns only; interaction, monitoring and portal build on these.
"""

from .articles import (
    Article,
    ArticleKind,
    ArticleRevision,
    ArticleStatus,
    Attachment,
    Importance,
    IndexSequence,
    Origin,
    Validity,
)
from .checks import (
    BlockedDomain,
    CheckListVersion,
    ContentFinding,
    FindingOverride,
    LeaderName,
    PublishedFinding,
    SensitiveWord,
    WordingCorrection,
)
from .headlines import HeadlineDirective
from .review import ReviewChain, ReviewDecision, ReviewRun, ReviewStep
from .service_items import ServiceDocument, ServiceItem, ServiceKind, ServiceMaterial

__all__ = [
    "Article",
    "ArticleKind",
    "ArticleRevision",
    "ArticleStatus",
    "Attachment",
    "BlockedDomain",
    "CheckListVersion",
    "ContentFinding",
    "FindingOverride",
    "HeadlineDirective",
    "Importance",
    "IndexSequence",
    "LeaderName",
    "Origin",
    "PublishedFinding",
    "ReviewChain",
    "ReviewDecision",
    "ReviewRun",
    "ReviewStep",
    "SensitiveWord",
    "ServiceDocument",
    "ServiceItem",
    "ServiceKind",
    "ServiceMaterial",
    "Validity",
    "WordingCorrection",
]
