"""Business actions on the platform's structure: accounts, roles, handover, password resets,
and column ownership — the one place that grants and moves object permissions on columns."""

import secrets

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import workflow
from .admin_links import change_url
from .audit import record
from .models import (
    Column,
    ColumnCategory,
    ColumnGroupObjectPermission,
    ColumnObjection,
    HandoverRecord,
    PasswordResetRecord,
    RequestStatus,
    Role,
    SpecialTopicRequest,
    StaffProfile,
    Unit,
)
from .notifications import notify
from .selectors import has_role, is_operator, liaisons_of, operators, unit_of
from .signals import liaison_handed_over

User = get_user_model()


def sync_role_groups():
    """Create one group per Role holding exactly the permissions the apps declare for it."""
    wanted = {role: set() for role in Role.values}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            wanted[role].update(perms)
    for role, perms in wanted.items():
        group, _created = Group.objects.get_or_create(name=role)
        objs = []
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".", 1)
            try:
                objs.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist as exc:
                raise LookupError(f"role {role} names unknown permission {dotted}") from exc
        group.permissions.set(objs)


#: What a new account may do before it is given anything.
NO_ACCESS = {
    "is_active": False,
    "is_staff": False,
    "is_superuser": False,
    "groups": [],
    "permissions": [],
}


def access_of(user):
    """账号权限 — what an account may do: its flags, groups (roles and unit) and single
    permissions, as compared before and after a change for the operation log."""
    return {
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(
            f"{app_label}.{codename}"
            for app_label, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
    }


def record_access_change(*, user, before, by=None, request=None):
    """权限变更记录: one operation-log entry with each changed item before and after; by is
    None when the change came from the command line. Returns the changes."""
    after = access_of(user)
    changed = {
        key: {"before": before[key], "after": after[key]}
        for key in after
        if before[key] != after[key]
    }
    if changed:
        record("account_access_changed", actor=by, target=user, detail=changed, request=request)
    return changed


def permissions_of(group):
    """A group's permissions as app_label.codename, sorted."""
    return sorted(
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    )


def record_group_change(*, group, before, by, request=None):
    """角色权限变更记录: a group's (a role's) permissions before and after, when they changed."""
    after = permissions_of(group)
    if after != before:
        detail = {"permissions": {"before": before, "after": after}}
        record("group_permissions_changed", actor=by, target=group, detail=detail, request=request)


@transaction.atomic
def create_staff(
    *, username, unit=None, roles=(), password, full_name="", email="", phone="", by=None
):
    """Create or update a staff account in a unit with the given roles (idempotent)."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(_("Unknown role: %(roles)s") % {"roles": ", ".join(sorted(unknown))})
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": full_name, "email": email, "is_staff": True},
    )
    before = NO_ACCESS if created else access_of(user)
    if created:
        user.set_password(password)
        user.save()
    profile, _created = StaffProfile.objects.get_or_create(user=user, defaults={"unit": unit})
    if profile.unit_id != (unit.pk if unit else None) or profile.phone != phone:
        profile.unit = unit
        profile.phone = phone
        profile.save(update_fields=["unit", "phone"])
    user.groups.set(Group.objects.filter(name__in=roles))
    sync_unit_membership(user)
    record_access_change(user=user, before=before, by=by)
    return user


@transaction.atomic
def hand_over_liaison(*, unit, old_user, new_user, performed_by):
    """信息员交接 [Q§18]: move a unit's liaison duties from old_user to new_user in one step.

    The new person takes the old one's roles; drafts, review duties and message
    assignments move through the liaison_handed_over signal, each app moving its own;
    the old account is deactivated and the new one must change its password at first login.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if old_user.pk == new_user.pk:
        raise ValidationError(_("The new liaison must be a different person from the old one."))
    if not new_user.is_active:
        raise ValidationError(
            _("The account %(user)s is deactivated; activate it or choose another person.")
            % {"user": new_user.get_username()}
        )
    for user in (old_user, new_user):
        if unit_of(user) is None or unit_of(user).pk != unit.pk:
            raise ValidationError(
                _(
                    "%(user)s does not belong to %(unit)s; only the unit's own staff can take part "
                    "in its handover."
                )
                % {"user": user.get_username(), "unit": unit.name}
            )
    if not has_role(old_user, Role.LIAISON, unit):
        raise ValidationError(
            _("%(user)s is not the liaison of %(unit)s.")
            % {"user": old_user.get_username(), "unit": unit.name}
        )

    before = {user.pk: access_of(user) for user in (old_user, new_user)}
    # Roles move; the unit's group (column permissions) follows each account's unit, and
    # the old account leaves it with its other groups.
    role_groups = old_user.groups.filter(name__in=Role.values)
    moved_roles = list(role_groups.values_list("name", flat=True))
    new_user.groups.add(*role_groups)
    old_user.groups.clear()
    moved = {"roles": moved_roles}
    liaison_handed_over.send(
        sender=Unit, unit=unit, old_user=old_user, new_user=new_user, moved=moved
    )

    old_user.is_active = False
    old_user.save(update_fields=["is_active"])
    StaffProfile.objects.filter(user=new_user).update(must_change_password=True)
    unit.liaison = new_user
    unit.save(update_fields=["liaison"])
    record("liaison_handover", actor=performed_by, target=unit, detail=moved)
    for user in (old_user, new_user):
        record_access_change(user=user, before=before[user.pk], by=performed_by)
    return HandoverRecord.objects.create(
        unit=unit, old_user=old_user, new_user=new_user, performed_by=performed_by, moved=moved
    )


@transaction.atomic
def reset_password(*, user, operator, request_reference, reason):
    """Reset a lost password on a recorded request; only the platform operator may do it.

    Returns the temporary password, to be handed over in person; it must be changed at
    the next login.
    """
    if not (operator.is_superuser or has_role(operator, Role.OPERATOR)):
        raise PermissionError(_("Only the platform operator may reset passwords."))
    if not request_reference.strip() or not reason.strip():
        raise ValidationError(_("Give the request reference and the reason for the reset."))
    temporary = secrets.token_urlsafe(12)
    user.set_password(temporary)
    user.save(update_fields=["password"])
    StaffProfile.objects.update_or_create(user=user, defaults={"must_change_password": True})
    record("password_reset", actor=operator, target=user, detail={"reference": request_reference})
    PasswordResetRecord.objects.create(
        user=user,
        operator=operator,
        request_reference=request_reference.strip(),
        reason=reason.strip(),
    )
    return temporary


# --- Column ownership ---------------------------------------------------------------------
#
# Each unit has one Django group holding all its staff ("unit-<id>"). The group holds the
# object permissions below on every column the unit is responsible for; what a member may
# do there is limited further by their role group's model permissions (least privilege:
# a liaison's role allows viewing columns and writing articles, not editing columns).
# columns.selectors.columns_for_user() reads these permissions.

UNIT_GROUP_PREFIX = "unit-"
COLUMN_OBJECT_PERMISSIONS = ("view_column", "change_column")


def unit_group(unit):
    """The group of all staff of a unit (单位工作人员组), created on first use."""
    group, _created = Group.objects.get_or_create(name=f"{UNIT_GROUP_PREFIX}{unit.pk}")
    return group


def sync_unit_membership(user):
    """Put the account in its unit's group and in no other unit's group.

    Called whenever an account's unit may have changed: create_staff, a change of
    StaffProfile.unit (receiver) and the admin's user form, which rewrites the groups.
    """
    profile = StaffProfile.objects.filter(user=user).select_related("unit").first()
    wanted = unit_group(profile.unit) if profile and profile.unit else None
    stale = user.groups.filter(name__startswith=UNIT_GROUP_PREFIX)
    if wanted is not None:
        stale = stale.exclude(pk=wanted.pk)
    user.groups.remove(*stale)
    if wanted is not None:
        user.groups.add(wanted)
    if hasattr(user, "_portal_roles"):
        del user._portal_roles


def _require_operator(user):
    if not is_operator(user):
        raise PermissionDenied(_("Only the platform operator may assign and arrange columns."))


def _inheriting_subtree(column):
    """Ids of column and of its descendants that inherit its owner, in one query: a
    descendant assigned explicitly keeps its unit, and so does everything under it."""
    ids = [column.pk]
    skip_until = None
    for pk, lft, rght, explicit in (
        column.get_descendants()
        .order_by("lft")
        .values_list("pk", "lft", "rght", "unit_assigned_explicitly")
    ):
        if skip_until is not None and lft < skip_until:
            continue
        if explicit:
            skip_until = rght
            continue
        ids.append(pk)
    return ids


def _grant_unit_permissions(column_ids, unit):
    """Make unit's group (or nobody, for None) the only unit holding permissions on the
    columns: the old unit's staff lose them in the same transaction."""
    ColumnGroupObjectPermission.objects.filter(
        content_object_id__in=column_ids, group__name__startswith=UNIT_GROUP_PREFIX
    ).delete()
    if unit is None:
        return
    group = unit_group(unit)
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="columns", codename__in=COLUMN_OBJECT_PERMISSIONS
        )
    )
    ColumnGroupObjectPermission.objects.bulk_create(
        ColumnGroupObjectPermission(group=group, permission=permission, content_object_id=pk)
        for pk in column_ids
        for permission in permissions
    )


def _apply_owner(column):
    """After column.unit changed (or its place did): pass it to the inheriting descendants
    and move the object permissions of the whole inheriting subtree."""
    ids = _inheriting_subtree(column)
    Column.objects.filter(pk__in=ids[1:]).exclude(unit_id=column.unit_id).update(unit=column.unit)
    _grant_unit_permissions(ids, column.unit)
    return ids


def _inherited_unit(parent):
    return parent.unit if parent is not None else None


def _notify_assignment(column, old_unit, new_unit, actor):
    title = _("Column “%(column)s” is now the responsibility of %(unit)s") % {
        "column": column.name,
        "unit": new_unit.name if new_unit else _("no unit"),
    }
    recipients = [*liaisons_of(old_unit), *liaisons_of(new_unit)]
    notify(
        [r for r in recipients if r.pk != getattr(actor, "pk", None)],
        kind="column_assigned",
        title=title,
        url=change_url(column),
    )


@transaction.atomic
def assign_column(*, column, unit, assigned_by, detail=None, quiet=False):
    """分配栏目: make unit responsible for column and for the descendants that inherit.

    unit=None makes the column inherit its parent's unit again. The old unit's staff lose
    their object permissions on these columns and the new unit's staff gain them. Only the
    platform operator assigns. quiet skips the units' notifications (initial set-up).
    """
    _require_operator(assigned_by)
    column = (
        Column.objects.select_for_update(of=("self",))
        .select_related("parent__unit")
        .get(pk=column.pk)
    )
    old_unit = column.unit
    column.unit_assigned_explicitly = unit is not None
    column.unit = unit if unit is not None else _inherited_unit(column.parent)
    column.save(update_fields=["unit", "unit_assigned_explicitly"])
    ids = _apply_owner(column)
    record(
        "column_assigned",
        actor=assigned_by,
        target=column,
        detail={
            "from": old_unit.name if old_unit else None,
            "to": column.unit.name if column.unit else None,
            "explicit": column.unit_assigned_explicitly,
            "columns": len(ids),
            **(detail or {}),
        },
    )
    if old_unit != column.unit and not quiet:
        _notify_assignment(column, old_unit, column.unit, assigned_by)
    return column


@transaction.atomic
def bulk_assign_columns(*, columns, unit, assigned_by):
    """Assign several columns to one unit in one transaction (批量分配)."""
    _require_operator(assigned_by)
    return [assign_column(column=c, unit=unit, assigned_by=assigned_by) for c in columns]


@transaction.atomic
def save_column(*, column, unit, saved_by):
    """Create or change a column from the admin form or an import.

    unit is the explicit assignment, or None to inherit the parent's unit. Validation
    (cycle in the tree, slug taken among siblings, local rule looser than the national
    one) raises ValidationError before anything is written.
    """
    _require_operator(saved_by)
    is_new = column.pk is None
    before = None
    if not is_new:
        before = Column.objects.select_for_update().get(pk=column.pk)
    parent = column.parent if column.parent_id else None
    column.unit_assigned_explicitly = unit is not None
    column.unit = unit if unit is not None else _inherited_unit(parent)
    column.full_clean()
    column.save()
    column.refresh_from_db()
    ids = _apply_owner(column)
    if is_new or before.unit_id != column.unit_id or before.parent_id != column.parent_id:
        record(
            "column_created" if is_new else "column_assigned",
            actor=saved_by,
            target=column,
            detail={
                "from": before.unit.name if before and before.unit else None,
                "to": column.unit.name if column.unit else None,
                "explicit": column.unit_assigned_explicitly,
                "columns": len(ids),
            },
        )
    if not is_new and before.unit_id != column.unit_id:
        _notify_assignment(column, before.unit, column.unit, saved_by)
    return column


MOVE_POSITIONS = ("first-child", "last-child", "left", "right")


@transaction.atomic
def move_column(*, column, target, position, moved_by):
    """Move a column (with its branch) beside or under target, as dragging in the tree does.

    Refuses a move into its own branch, to another site, or beside a sibling with the same
    slug; a column that inherits its owner takes its new parent's unit.
    """
    _require_operator(moved_by)
    if position not in MOVE_POSITIONS:
        raise ValidationError(_("Unknown position “%(position)s”.") % {"position": position})
    column = Column.objects.select_for_update().get(pk=column.pk)
    target = Column.objects.get(pk=target.pk)
    new_parent = target if position.endswith("child") else target.parent
    old_parent_id = column.parent_id
    column.parent = new_parent
    if new_parent is not None and new_parent.site_id != column.site_id:
        raise ValidationError(_("A column can only be moved within its own site's tree."))
    column.full_clean(exclude=["unit"])
    column.parent_id = old_parent_id
    column.move_to(target, position)
    column.refresh_from_db()
    # Positions follow the new order among siblings, so that a later save does not
    # re-sort the column back (the tree is ordered by position).
    siblings = Column.objects.filter(site_id=column.site_id, parent_id=column.parent_id)
    for index, pk in enumerate(siblings.order_by("lft").values_list("pk", flat=True)):
        Column.objects.filter(pk=pk).exclude(position=index).update(position=index)
    if not column.unit_assigned_explicitly:
        column.unit = _inherited_unit(column.parent)
        column.save(update_fields=["unit"])
        _apply_owner(column)
    record(
        "column_moved",
        actor=moved_by,
        target=column,
        detail={"target": target.pk, "position": position},
    )
    column.refresh_from_db()
    return column


# --- Objections and special-topic requests --------------------------------------------------


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; it cannot be empty.")})
    return reason


def check_objection(*, column, filed_by, reason):
    """The rules of filing an objection, also used by the admin form to show them early."""
    unit = unit_of(filed_by)
    if unit is None or column.unit_id != unit.pk:
        raise ValidationError(
            {
                "column": _(
                    "Your unit is not responsible for the column “%(column)s”; you can only "
                    "object to columns assigned to your own unit."
                )
                % {"column": column.name}
            }
        )
    reason = _require_reason(reason)
    if ColumnObjection.objects.filter(
        column=column, unit=unit, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(
            {
                "column": _(
                    "Your unit already has an open objection to “%(column)s”; wait for the "
                    "operator's decision."
                )
                % {"column": column.name}
            }
        )
    return unit, reason


@transaction.atomic
def file_objection(*, column, filed_by, reason, proposed_unit=None):
    """提出异议: a unit disputes that column was assigned to it [Q§8]; the operators hear."""
    column = Column.objects.select_for_update().get(pk=column.pk)
    unit, reason = check_objection(column=column, filed_by=filed_by, reason=reason)
    objection = ColumnObjection.objects.create(
        column=column, unit=unit, filed_by=filed_by, reason=reason, proposed_unit=proposed_unit
    )
    record("objection_filed", actor=filed_by, target=objection, detail={"column": column.pk})
    _announce_filed(
        objection,
        kind="objection_filed",
        filed_by=filed_by,
        to_operators=_("%(unit)s objects to being responsible for “%(column)s”")
        % {"unit": unit.name, "column": column.name},
        to_unit=_("Your objection to “%(column)s” was filed") % {"column": column.name},
        key=f"objection:{objection.pk}:filed",
    )
    return objection


def _announce_filed(request, *, kind, filed_by, to_operators, to_unit, key):
    """A unit's request to the operators (异议, 专题申请) is filed: the operators hear of it
    and its reason, and the filer and the unit's liaisons are told it arrived."""
    url = change_url(request)
    for recipients, title in (
        (operators(), to_operators),
        ([filed_by, *liaisons_of(request.unit)], to_unit),
    ):
        notify(recipients, kind=kind, title=title, body=request.reason, url=url, key=key)


@transaction.atomic
def decide_objection(*, objection, decided_by, accept, reason, new_unit=None):
    """The operator accepts an objection (reassigns the column to new_unit) or rejects it;
    either way with a reason, recorded, and both sides are notified."""
    objection = ColumnObjection.objects.select_for_update().get(pk=objection.pk)
    workflow.require_action(objection, decided_by, "accept" if accept else "reject")
    reason = _require_reason(reason)
    if accept:
        new_unit = new_unit or objection.proposed_unit
        if new_unit is None or new_unit.pk == objection.unit_id:
            raise ValidationError(
                {
                    "new_unit": _(
                        "Choose the unit that takes over the column, other than %(unit)s."
                    )
                    % {"unit": objection.unit.name}
                }
            )
    workflow.decide(
        objection, "accept" if accept else "reject", decided_by=decided_by, reason=reason
    )
    if accept:
        assign_column(
            column=objection.column,
            unit=new_unit,
            assigned_by=decided_by,
            detail={"objection": objection.pk},
        )
        objection.reassigned_to = new_unit
        objection.save(update_fields=["reassigned_to"])
    record(
        "objection_decided",
        actor=decided_by,
        target=objection,
        detail={
            "status": objection.status,
            "reason": reason,
            "reassigned_to": new_unit.name if accept else None,
        },
    )
    title = (
        _("Objection to “%(column)s” accepted: now the responsibility of %(unit)s")
        % {"column": objection.column.name, "unit": new_unit.name}
        if accept
        else _("Objection to “%(column)s” rejected") % {"column": objection.column.name}
    )
    notify(
        [objection.filed_by, *liaisons_of(objection.unit), *operators()],
        kind="objection_decided",
        title=title,
        body=reason,
        url=change_url(objection),
        key=f"objection:{objection.pk}:decided",
    )
    return objection


def check_topic_request(
    *, requested_by, site, parent, name, slug, reason, starts_on=None, ends_on=None
):
    """The rules of a special-topic request, also used by the admin form."""
    unit = unit_of(requested_by)
    if unit is None:
        raise ValidationError(_("Only a unit's staff can request a special topic for their unit."))
    reason = _require_reason(reason)
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the topic a name.")})
    if parent is not None and parent.site_id != site.pk:
        raise ValidationError({"parent": _("The parent column belongs to another site.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The topic cannot end before it starts.")})
    if Column.objects.filter(site=site, parent=parent, slug=slug).exists():
        raise ValidationError(
            {
                "slug": _(
                    "Another column under the same parent already uses the slug “%(slug)s”; "
                    "choose a different slug."
                )
                % {"slug": slug}
            }
        )
    return unit, reason


@transaction.atomic
def request_special_topic(
    *, requested_by, site, parent, name, slug, reason, starts_on=None, ends_on=None
):
    """专题申请: a unit asks for a new special-topic column [Q§12]; the operators hear."""
    unit, reason = check_topic_request(
        requested_by=requested_by,
        site=site,
        parent=parent,
        name=name,
        slug=slug,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    topic = SpecialTopicRequest.objects.create(
        unit=unit,
        requested_by=requested_by,
        site=site,
        parent=parent,
        name=name.strip(),
        slug=slug,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    record("topic_requested", actor=requested_by, target=topic)
    _announce_filed(
        topic,
        kind="topic_requested",
        filed_by=requested_by,
        to_operators=_("%(unit)s requests the special topic “%(name)s”")
        % {"unit": unit.name, "name": topic.name},
        to_unit=_("Your request for the special topic “%(name)s” was filed") % {"name": topic.name},
        key=f"topic:{topic.pk}:requested",
    )
    return topic


@transaction.atomic
def decide_topic_request(*, topic_request, decided_by, approve, reason=""):
    """The operator approves a special-topic request — the column is created and assigned
    to the unit — or rejects it with a reason; both sides are notified."""
    topic = SpecialTopicRequest.objects.select_for_update().get(pk=topic_request.pk)
    workflow.require_action(topic, decided_by, "accept" if approve else "reject")
    reason = (reason or "").strip() if approve else _require_reason(reason)
    workflow.decide(topic, "accept" if approve else "reject", decided_by=decided_by, reason=reason)
    if approve:
        siblings = Column.objects.filter(site=topic.site, parent=topic.parent)
        column = Column(
            site=topic.site,
            parent=topic.parent,
            name=topic.name,
            slug=topic.slug,
            position=siblings.count(),
            category=ColumnCategory.TOPIC,
            is_special_topic=True,
            topic_starts_on=topic.starts_on,
            topic_ends_on=topic.ends_on,
        )
        save_column(column=column, unit=topic.unit, saved_by=decided_by)
        topic.column = column
        topic.save(update_fields=["column"])
    record(
        "topic_decided",
        actor=decided_by,
        target=topic,
        detail={"status": topic.status, "reason": reason},
    )
    title = (
        _("Special topic “%(name)s” approved and created") % {"name": topic.name}
        if approve
        else _("Special topic “%(name)s” rejected") % {"name": topic.name}
    )
    notify(
        [topic.requested_by, *liaisons_of(topic.unit), *operators()],
        kind="topic_decided",
        title=title,
        body=reason,
        url=change_url(topic),
        key=f"topic:{topic.pk}:decided",
    )
    return topic


# --- Import of the column tree --------------------------------------------------------------


def _row_error_messages(exc):
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


@transaction.atomic
def import_tree(*, rows, imported_by):
    """导入栏目树: create or update columns from rows read by columns.tree_io.read_rows.

    A row names its column by site code and path; a missing parent must come earlier in
    the file or exist already. Every row is checked like the admin form checks it; if any
    row is wrong, nothing is changed and every wrong row is reported with its number.
    Returns (created, updated).
    """
    from . import tree_io
    from .models import Site
    from .selectors import tree_paths

    _require_operator(imported_by)
    sites = {site.site_code: site for site in Site.objects.all()}
    units = {}
    for unit in Unit.objects.all():
        units[unit.name] = unit
        units[unit.org_code] = unit
    paths = tree_paths()
    by_path = {
        (column.site_id, paths[column.pk]): column
        for column in Column.objects.select_related("unit", "parent")
    }
    errors = []
    created = updated = 0
    # Parents before children, whatever order the file has.
    ordered = sorted(rows, key=lambda item: item[1].get("path", "").count("/"))
    for number, row in ordered:
        try:
            with transaction.atomic():
                column, is_new = _import_row(row, sites, units, by_path, tree_io, imported_by)
        except ValidationError as exc:
            errors.extend((number, message) for message in _row_error_messages(exc))
            continue
        by_path[(column.site_id, row["path"].strip("/"))] = column
        created += is_new
        updated += not is_new
    if errors:
        # Raising inside the atomic block rolls back the rows that were fine too.
        raise ValidationError(
            [
                _("Row %(row)s: %(message)s") % {"row": number, "message": message}
                for number, message in sorted(errors, key=lambda error: error[0])
            ]
        )
    record(
        "column_tree_imported",
        actor=imported_by,
        detail={"created": created, "updated": updated},
    )
    return created, updated


def _import_row(row, sites, units, by_path, tree_io, imported_by):
    site = sites.get(row.get("site", ""))
    if site is None:
        raise ValidationError(_("Unknown site code “%(code)s”.") % {"code": row.get("site", "")})
    path = row.get("path", "").strip("/")
    if not path:
        raise ValidationError(_("The path is empty."))
    parent_path, _sep, slug = path.rpartition("/")
    parent = None
    if parent_path:
        parent = by_path.get((site.pk, parent_path))
        if parent is None:
            raise ValidationError(
                _("The parent column “%(path)s” does not exist; add it in an earlier row.")
                % {"path": parent_path}
            )
    unit = None
    if row.get("unit"):
        unit = units.get(row["unit"])
        if unit is None:
            raise ValidationError(_("Unknown unit “%(unit)s”.") % {"unit": row["unit"]})
    if not row.get("name"):
        raise ValidationError(_("The name is empty."))
    column = by_path.get((site.pk, path))
    is_new = column is None
    if is_new:
        column = Column(site=site, parent=parent, slug=slug)
    column.name = row["name"]
    column.category = tree_io.parse_category(row.get("category", ""))
    position = tree_io.parse_number(row.get("position", ""), "position")
    if position is not None:
        column.position = position
    column.on_homepage = tree_io.parse_bool(row.get("on_homepage", ""), "on_homepage")
    column.is_special_topic = tree_io.parse_bool(
        row.get("is_special_topic", ""), "is_special_topic"
    )
    column.topic_starts_on = tree_io.parse_date(row.get("topic_starts_on", ""), "topic_starts_on")
    column.topic_ends_on = tree_io.parse_date(row.get("topic_ends_on", ""), "topic_ends_on")
    for field in (
        "max_gap_days",
        "min_updates_per_week",
        "min_updates_per_month",
        "max_working_days_between_updates",
    ):
        setattr(column, field, tree_io.parse_number(row.get(field, ""), field))
    save_column(column=column, unit=unit, saved_by=imported_by)
    return column, is_new
