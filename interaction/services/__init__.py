"""Business actions on citizen messages: the only code that changes a message's status or
its due time.

Each action is one transaction: it locks the message, checks who may act, fires the
workflow transition, keeps a handling record (MessageEvent) and an operation-log entry where
staff act, and notifies the people concerned. Views, the admin and Celery tasks call these.

One module per part of the mailbox: submission (收信, 查询), citizen (补充材料, 评价,
重新办理), handling (分办, 转办, 办结 …), replies (答复 and its review), deadlines
(延期, alerts, the calendar's recount, the cap); deadline_versions and steps are what they
share. This package re-exports the actions the rest of the project calls (the admin, views,
API, tasks, the demo and tests use ``services.route``), so callers need not know the rooms.
"""

from .citizen import rate, reopen, supply_info
from .deadlines import (
    calendar_health,
    check_calendar_coverage,
    close_unsupplied_at_cap,
    confirm_deadlines,
    decide_extension,
    request_extension,
    send_deadline_alerts,
)
from .handling import (
    change_kind,
    close,
    decide_transfer,
    discard,
    hand_over_messages,
    merge,
    release,
    request_info,
    request_transfer,
    route,
    view_contact,
)
from .replies import approve_reply, draft_reply, return_reply
from .submission import submit_message, track

__all__ = [
    "approve_reply",
    "calendar_health",
    "change_kind",
    "check_calendar_coverage",
    "close",
    "close_unsupplied_at_cap",
    "confirm_deadlines",
    "decide_extension",
    "decide_transfer",
    "discard",
    "draft_reply",
    "hand_over_messages",
    "merge",
    "rate",
    "release",
    "reopen",
    "request_extension",
    "request_info",
    "request_transfer",
    "return_reply",
    "route",
    "send_deadline_alerts",
    "submit_message",
    "supply_info",
    "track",
    "view_contact",
]
