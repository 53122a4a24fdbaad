"""The operation log's one writer: every app records sensitive actions through record()."""

from .client_address import client_address
from .models import OperationLog


def record(action, *, actor=None, target=None, detail=None, request=None):
    """Append one entry; target is any model instance (or None)."""
    return OperationLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        detail=detail or {},
        ip_address=client_address(request) if request is not None else None,
    )
