"""Reads of the platform's structure: host resolution, roles, and what a user may see."""

from functools import partial

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from .models import (
    DEFAULT_MAX_GAP_DAYS,
    NATIONAL_MAX_GAP_DAYS,
    PLATFORM_ROLES,
    CategoryUpdateRule,
    Column,
    ColumnCategory,
    ColumnObjection,
    OfflineWindow,
    RequestStatus,
    Role,
    Site,
    SiteHost,
    SpecialTopicRequest,
)

HOST_MAP_CACHE_KEY = "columns:host-map:v1"
HOST_MAP_TIMEOUT = 300
PRIMARY_HOSTS_CACHE_KEY = "columns:primary-hosts:v1"


def _hostname(host):
    return (host or "").split(":")[0].strip().lower().rstrip(".")


def site_for_host(host):
    """The open or closed Site answering on a host name, or None; one cache read per request.

    The map lives in the shared cache, so every web process sees a change once it is
    forgotten (after commit, forget_host_map). A name missing from the map is looked up
    once more in the database: a map cached by a request that read while a new site or host
    was being saved must not answer "网站不存在" for it until the map expires.
    """
    hostname = _hostname(host)
    host_map = cache.get(HOST_MAP_CACHE_KEY)
    if host_map is None:
        host_map = _cache_host_map()
    site_id = host_map.get(hostname)
    if site_id is None and hostname:
        site_id = SiteHost.objects.filter(hostname=hostname).values_list("site_id", flat=True)
        site_id = site_id.first()
        if site_id is not None:
            _cache_host_map()
    if site_id is None:
        return None
    return Site.objects.filter(pk=site_id).first()


def _cache_host_map():
    host_map = dict(SiteHost.objects.values_list("hostname", "site_id"))
    cache.set(HOST_MAP_CACHE_KEY, host_map, HOST_MAP_TIMEOUT)
    return host_map


def primary_hosts():
    """{site id: its primary host name} for every site with a host, one cache read; the
    first host by id stands in for a site none of whose hosts is marked primary."""
    hosts = cache.get(PRIMARY_HOSTS_CACHE_KEY)
    if hosts is None:
        hosts = {}
        rows = SiteHost.objects.order_by("site_id", "-is_primary", "id")
        for site_id, hostname in rows.values_list("site_id", "hostname"):
            hosts.setdefault(site_id, hostname)
        cache.set(PRIMARY_HOSTS_CACHE_KEY, hosts, HOST_MAP_TIMEOUT)
    return hosts


def forget_host_map():
    """Drop the cached maps now and again once the saving transaction commits: a request
    another process serves in between reads the old rows and may cache them again."""
    keys = [HOST_MAP_CACHE_KEY, PRIMARY_HOSTS_CACHE_KEY]
    cache.delete_many(keys)
    transaction.on_commit(partial(cache.delete_many, keys), robust=True)


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


def is_operator(user):
    """平台运维: the platform operator (or a superuser), who acts on every site and unit."""
    return bool(user and (user.is_superuser or has_role(user, Role.OPERATOR)))


def sees_everything(user):
    """Superusers and platform roles see every unit's objects; unit staff see their own."""
    return user.is_superuser or bool(roles_of(user) & {Role.OPERATOR, Role.INSPECTOR})


def columns_for_user(user, perm="columns.change_column"):
    """The one scoping helper: the columns a user may act on with perm.

    Unit staff get guardian object permissions on the columns assigned to their unit,
    through their unit's group (columns.services grants and moves them); platform roles
    see all columns. The result is a lazy queryset filtered by one subquery, so callers
    may use it in further filters ("article__column__in") without extra queries.
    """
    if sees_everything(user):
        return Column.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Column.objects.none()
    from guardian.shortcuts import get_objects_for_user

    return get_objects_for_user(user, perm, klass=Column, accept_global_perms=False)


def update_rules():
    """{category: longest gap in days} for every category: the operator's rules, else the
    national defaults. One query; pass it to Column.effective_max_gap(rules) in loops."""
    rules = {
        category: NATIONAL_MAX_GAP_DAYS.get(category, DEFAULT_MAX_GAP_DAYS)
        for category in ColumnCategory.values
    }
    rules.update(CategoryUpdateRule.objects.values_list("category", "max_gap_days"))
    return rules


def operators():
    """The active platform operators' accounts (they decide objections and topic requests)."""
    return get_user_model().objects.filter(groups__name=Role.OPERATOR, is_active=True)


def _active_liaisons():
    return get_user_model().objects.filter(groups__name=Role.LIAISON, is_active=True)


def liaisons_of(unit):
    """The active liaison accounts of a unit (who hears about its columns' assignments)."""
    if unit is None:
        return get_user_model().objects.none()
    return _active_liaisons().filter(staff_profile__unit=unit)


def liaisons_by_unit(unit_ids):
    """{unit id: [active liaison accounts]} of several units in one query, for alerts about
    the columns of many units at once; a unit without a liaison is absent."""
    liaisons = {}
    for user in (
        _active_liaisons().filter(staff_profile__unit__in=unit_ids).select_related("staff_profile")
    ):
        liaisons.setdefault(user.staff_profile.unit_id, []).append(user)
    return liaisons


def tree_paths(site_ids=None, *, field="slug", separator="/"):
    """{column id: "news/dept-news/edu-news"} for the columns of the given sites (all by
    default), computed in one query from the tree order instead of per column; field="name"
    with separator=" / " gives the path people read (新闻动态 / 部门动态 / 教育动态)."""
    columns = Column.objects.order_by("tree_id", "lft").values_list("pk", "parent_id", field)
    if site_ids is not None:
        columns = columns.filter(site_id__in=site_ids)
    paths = {}
    for pk, parent_id, part in columns:
        paths[pk] = f"{paths[parent_id]}{separator}{part}" if parent_id in paths else part
    return paths


def pending_objections():
    """待处理的异议 — units' objections to a column assignment the operator has not decided."""
    return ColumnObjection.objects.filter(status=RequestStatus.PENDING).select_related("unit")


def pending_topic_requests():
    """待处理的专题申请 — special-topic requests the operator has not decided."""
    return SpecialTopicRequest.objects.filter(status=RequestStatus.PENDING).select_related("unit")


def coming_offline_windows(now):
    """临时下线 — every site's offline windows not over yet, the next first."""
    return (
        OfflineWindow.objects.in_force()
        .filter(ends_at__gt=now)
        .select_related("site")
        .order_by("starts_at")
    )
