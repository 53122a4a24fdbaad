"""Business actions on 办事事项 (service items): a liaison's edits reach the public only after
a leader of the unit approves them, and every change is written to the operation log.

The lighter rule of the two the platform allows (issue 15): not the article review chain,
but the unit head's approval before publication — a service guide is reference text that
changes rarely, and the head is who answers for it [G六(三)].
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from columns.audit import record
from columns.models import Role
from columns.selectors import has_role

from .models import ServiceItem

#: The unit's roles whose approval publishes a service item.
APPROVER_ROLES = (Role.SECTION_HEAD, Role.DEPUTY_LEADER, Role.PRINCIPAL_LEADER)


def may_approve(user, item):
    return any(has_role(user, role, item.unit) for role in APPROVER_ROLES)


@transaction.atomic
def save_service_item(*, item, by, changed=(), request=None):
    """Save an item (new or edited); an edit by anyone but an approver takes a published item
    off the site until a leader of its unit approves it again."""
    created = item.pk is None
    if not created:
        stored = ServiceItem.objects.select_for_update().get(pk=item.pk)
        item.is_published = stored.is_published
    else:
        item.is_published = False
    withdrawn = item.is_published and not may_approve(by, item)
    if withdrawn:
        item.is_published = False
    item.save()
    record(
        "service_item_created" if created else "service_item_changed",
        actor=by,
        target=item,
        detail={"fields": sorted(changed), "withdrawn_for_approval": withdrawn},
        request=request,
    )
    return item


@transaction.atomic
def approve_service_item(*, item, by, request=None):
    """审核发布: a leader of the item's unit approves it, and it is published."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if not may_approve(by, item):
        raise PermissionDenied(
            _("Only a leader of %(unit)s may approve its service items for publication.")
            % {"unit": item.unit}
        )
    if item.is_published:
        raise ValidationError(_("“%(item)s” is already published.") % {"item": item})
    item.is_published = True
    item.save(update_fields=["is_published", "updated_at"])
    record("service_item_published", actor=by, target=item, request=request)
    return item


@transaction.atomic
def withdraw_service_item(*, item, by, request=None):
    """撤下: take an item off the site (its editor or a leader of its unit)."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if not (may_approve(by, item) or has_role(by, Role.LIAISON, item.unit)):
        if not has_role(by, Role.OPERATOR):
            raise PermissionDenied(_("You may not withdraw this service item."))
    item.is_published = False
    item.save(update_fields=["is_published", "updated_at"])
    record("service_item_withdrawn", actor=by, target=item, request=request)
    return item


@transaction.atomic
def delete_service_item(*, item, by, request=None):
    record(
        "service_item_deleted",
        actor=by,
        target=item,
        detail={"name": item.name, "was_published": item.is_published},
        request=request,
    )
    item.delete()
