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
from .headlines import HeadlineDirective
from .review import ReviewChain, ReviewDecision, ReviewRun, ReviewStep

__all__ = [
    "Article",
    "ArticleKind",
    "ArticleRevision",
    "ArticleStatus",
    "Attachment",
    "HeadlineDirective",
    "Importance",
    "IndexSequence",
    "Origin",
    "ReviewChain",
    "ReviewDecision",
    "ReviewRun",
    "ReviewStep",
    "Validity",
]
