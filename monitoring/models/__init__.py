"""Monitoring's records, one module per aggregate; re-exported here for Django and callers.

Monitoring reads columns, publishing and interaction and writes only its own records.
"""

from .availability import AvailabilityProbe, Outage
from .freshness import ColumnFreshness, ComplianceDashboard, FreshnessSnapshot, FreshnessState
from .links import BrokenLink, LinkCheckRun
from .patrol import PatrolRecord
from .scoring import IndicatorKind, IndicatorRule, ScoringScheme
from .tamper import PageFingerprint, TamperAlert
from .visits import PageVisitDay

__all__ = [
    "AvailabilityProbe",
    "BrokenLink",
    "ColumnFreshness",
    "ComplianceDashboard",
    "FreshnessSnapshot",
    "FreshnessState",
    "IndicatorKind",
    "IndicatorRule",
    "LinkCheckRun",
    "Outage",
    "PageFingerprint",
    "PageVisitDay",
    "PatrolRecord",
    "ScoringScheme",
    "TamperAlert",
]
from ..inspections import models as inspections  # noqa: E402,F401
