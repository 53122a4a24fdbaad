"""Business actions on the platform's structure: accounts, roles, handover, password resets."""

import secrets

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import record
from .models import HandoverRecord, PasswordResetRecord, Role, StaffProfile, Unit
from .selectors import has_role, unit_of
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


@transaction.atomic
def create_staff(*, username, unit=None, roles=(), password, full_name="", email="", phone=""):
    """Create or update a staff account in a unit with the given roles (idempotent)."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(_("Unknown role: %(roles)s") % {"roles": ", ".join(sorted(unknown))})
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": full_name, "email": email, "is_staff": True},
    )
    if created:
        user.set_password(password)
        user.save()
    profile, _created = StaffProfile.objects.get_or_create(user=user, defaults={"unit": unit})
    if profile.unit_id != (unit.pk if unit else None) or profile.phone != phone:
        profile.unit = unit
        profile.phone = phone
        profile.save(update_fields=["unit", "phone"])
    user.groups.set(Group.objects.filter(name__in=roles))
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

    moved_roles = list(old_user.groups.values_list("name", flat=True))
    new_user.groups.add(*old_user.groups.all())
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
