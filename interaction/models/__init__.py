"""Interaction's models, one module per aggregate; re-exported here for Django and callers.

Depends on columns (sites, units, staff) and publishing only; monitoring and portal build on
these.
"""

from ..participation.models import *  # noqa: F401,F403 (public participation)
from .calendar import CalendarYear, WorkingDayOverride
from .mailbox import (
    DEFAULT_DEADLINE_DAYS,
    Channel,
    DeadlineAlert,
    DeadlineChange,
    ExtensionRequest,
    MailboxPolicy,
    Message,
    MessageEvent,
    MessageImage,
    MessageKind,
    MessageStatus,
    Rating,
    TrackingFailure,
)

__all__ = [
    "DEFAULT_DEADLINE_DAYS",
    "CalendarYear",
    "Channel",
    "DeadlineAlert",
    "DeadlineChange",
    "ExtensionRequest",
    "MailboxPolicy",
    "Message",
    "MessageEvent",
    "MessageImage",
    "MessageKind",
    "MessageStatus",
    "Rating",
    "TrackingFailure",
    "WorkingDayOverride",
]
