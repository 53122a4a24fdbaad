"""The platform's structure: sites, units, staff and their roles, and the column tree.

This is the bottom app: it imports no other app of the platform. Higher apps react to
its events (a liaison handover) through the signals in columns.signals. One module per
aggregate, re-exported here for Django and for callers.
"""

from .offline import OfflineWindow
from .requests import ColumnObjection, RequestStatus, SpecialTopicRequest
from .structure import (
    PLATFORM_ROLES,
    SITE_CODE_RE,
    HandoverRecord,
    Notification,
    OperationLog,
    PasswordResetRecord,
    Role,
    Site,
    SiteHost,
    StaffProfile,
    Unit,
    action_label,
    validate_site_code,
)
from .tree import (
    DEFAULT_MAX_GAP_DAYS,
    NATIONAL_MAX_GAP_DAYS,
    CategoryUpdateRule,
    Column,
    ColumnCategory,
    ColumnGroupObjectPermission,
    ColumnUserObjectPermission,
)

__all__ = [
    "DEFAULT_MAX_GAP_DAYS",
    "NATIONAL_MAX_GAP_DAYS",
    "PLATFORM_ROLES",
    "SITE_CODE_RE",
    "CategoryUpdateRule",
    "Column",
    "ColumnCategory",
    "ColumnGroupObjectPermission",
    "ColumnObjection",
    "ColumnUserObjectPermission",
    "HandoverRecord",
    "Notification",
    "OfflineWindow",
    "OperationLog",
    "action_label",
    "PasswordResetRecord",
    "RequestStatus",
    "Role",
    "Site",
    "SiteHost",
    "SpecialTopicRequest",
    "StaffProfile",
    "Unit",
    "validate_site_code",
]
