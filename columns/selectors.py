"""Reads of the platform's structure: host resolution, roles, and what a user may see."""

from django.core.cache import cache

from .models import PLATFORM_ROLES, Column, Role, Site, SiteHost

HOST_MAP_CACHE_KEY = "columns:host-map:v1"


def site_for_host(host):
    """The open or closed Site answering on a host name, or None; one cache read per request."""
    hostname = (host or "").split(":")[0].strip().lower().rstrip(".")
    host_map = cache.get(HOST_MAP_CACHE_KEY)
    if host_map is None:
        host_map = dict(SiteHost.objects.values_list("hostname", "site_id"))
        cache.set(HOST_MAP_CACHE_KEY, host_map, 300)
    site_id = host_map.get(hostname)
    if site_id is None:
        return None
    return Site.objects.filter(pk=site_id).first()


def forget_host_map():
    cache.delete(HOST_MAP_CACHE_KEY)


def roles_of(user):
    """The set of Role values the user holds (their groups), cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not hasattr(user, "_portal_roles"):
        names = set(user.groups.values_list("name", flat=True))
        user._portal_roles = frozenset(r for r in Role.values if r in names)
    return user._portal_roles


def unit_of(user):
    """The Unit the account belongs to, or None for platform staff."""
    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    return profile.unit if profile else None


def has_role(user, role, unit=None):
    """Whether user holds role — for unit-level roles, in that unit."""
    if role not in roles_of(user):
        return False
    if unit is None or role in PLATFORM_ROLES:
        return True
    return unit_of(user) is not None and unit_of(user).pk == unit.pk


def sees_everything(user):
    """Superusers and platform roles see every unit's objects; unit staff see their own."""
    return user.is_superuser or bool(roles_of(user) & {Role.OPERATOR, Role.INSPECTOR})


def columns_for_user(user, perm="columns.change_column"):
    """The one scoping helper: the columns a user may act on with perm.

    Unit staff get guardian object permissions on the columns assigned to their unit
    (columns.services assigns them); platform roles see all columns.
    """
    if sees_everything(user):
        return Column.objects.all()
    from guardian.shortcuts import get_objects_for_user

    return get_objects_for_user(user, perm, klass=Column, accept_global_perms=False)
