"""A unit's staff cannot read or change another unit's objects by URL (SPEC §7, [Q§8, Q§17]).

Generated over every model registered in the admin, not a hand-picked list: each model whose
objects lead to a unit (directly, through a column, or through the person they belong to)
gets one test, in which every account of 区教育局 tries every admin URL of a 区财政局 object and
every account of 区财政局 tries one of 区教育局's: the search on the list page, the change page
(GET and POST), the delete page (GET and POST) and the history. Each must be refused (403,
404, or a redirect away) and the object must be unchanged afterwards. Models whose objects
belong to no unit (sites, schedules, lock-out records) get the same change and delete POSTs:
unit staff may not alter platform-wide objects either.
"""

import uuid
from collections import deque
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_celery_beat.schedulers import ModelEntry
from model_bakery import baker

from columns.admin_scoping import ColumnScopedAdminMixin, UnitScopedAdminMixin
from columns.models import Unit
from portal.celery import app as celery_app

UNIT_CODES = {"edu": "009401002", "fin": "009401003"}
ROLE_ACCOUNTS = ("liaison", "head", "deputy", "leader")
OTHER = {"edu": "fin", "fin": "edu"}
MAX_PATH_DEPTH = 4


def unit_path(model):
    """The lookup from model to the Unit that owns its objects, or None.

    The admin's own scoping declaration wins (it is what the admin promises); otherwise the
    shortest chain of foreign keys, one-to-ones and many-to-manys that ends at Unit.
    """
    model_admin = admin.site._registry.get(model)
    if model is Unit:
        return "pk"
    if isinstance(model_admin, ColumnScopedAdminMixin):
        column = model_admin.column_path
        return "unit" if column == "pk" else f"{column}__unit"
    if isinstance(model_admin, UnitScopedAdminMixin):
        return model_admin.unit_path
    queue = deque([(model, "", 0)])
    seen = {model}
    while queue:
        current, path, depth = queue.popleft()
        if depth == MAX_PATH_DEPTH:
            continue
        for field in current._meta.get_fields():
            # Forward relations, and the reverse side of a one-to-one (user -> staff_profile).
            if not field.is_relation or field.related_model is None:
                continue
            if field.auto_created and not field.one_to_one:
                continue
            target = field.related_model
            step = f"{path}__{field.name}" if path else field.name
            if target is Unit:
                return step
            if target not in seen:
                seen.add(target)
                queue.append((target, step, depth + 1))
    return None


REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)
SCOPED = [m for m in REGISTERED if unit_path(m)]
PLATFORM_WIDE = [m for m in REGISTERED if not unit_path(m)]


def owned_by(model, unit):
    return model._default_manager.filter(**{unit_path(model): unit.pk}).distinct().order_by("pk")


def object_of(model, unit, depth=0):
    """An object of model owned by unit: from the demo data, else made for the test, pointing
    its first relation at an object of the unit (found or made the same way)."""
    existing = owned_by(model, unit).first()
    path = unit_path(model)
    if existing is not None or path == "pk" or depth > MAX_PATH_DEPTH:
        return existing
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first)
    if field.auto_created:
        return None  # reached through a reverse one-to-one: the demo accounts are the objects
    owner = unit if not rest else object_of(field.related_model, unit, depth + 1)
    if owner is None:
        return None
    return baker.make(
        model, **distinct_values(model), **{first: [owner] if field.many_to_many else owner}
    )


def distinct_values(model):
    """Fresh values for the model's unique fields: baker's defaults (today's date, short
    strings) may already be taken by the demo data."""
    unique = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        unique.update(getattr(constraint, "fields", ()))
    for together in model._meta.unique_together:
        unique.update(together)
    values = {}
    token = uuid.uuid4().int
    for name in unique:
        field = model._meta.get_field(name)
        if field.is_relation or field.choices:
            continue
        if isinstance(field, models.DateTimeField):
            values[name] = timezone.now() + timedelta(days=3650 + token % 3650)
        elif isinstance(field, models.DateField):
            values[name] = date(2090, 1, 1) + timedelta(days=token % 3650)
        elif isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField):
            values[name] = 2100 + token % 7000  # years are small integers
        elif isinstance(field, models.IntegerField):
            values[name] = 10_000 + token % 1_000_000
        elif isinstance(field, models.CharField):
            values[name] = f"iso{uuid.uuid4().hex}"[: field.max_length]
    return values


def admin_url(model, action, obj=None):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}"
    try:
        return reverse(name, args=[quote(obj.pk)] if obj is not None else [])
    except NoReverseMatch:
        return None


def refused(response, own_url):
    """403 or 404, or a redirect that does not land on the object's own page."""
    if response.status_code in (403, 404):
        return True
    if response.status_code in (301, 302):
        return not response["Location"].startswith(own_url)
    return False


def snapshot(model, pk):
    obj = model._default_manager.filter(pk=pk).first()
    return None if obj is None else model_to_dict(obj)


def try_every_url(client, model, obj, search_term):
    """{action: refused?} for one account against one foreign object."""
    outcomes = {}
    change = admin_url(model, "change", obj)
    before = snapshot(model, obj.pk)
    changelist = admin_url(model, "changelist")
    if changelist:
        response = client.get(changelist, {"q": search_term})
        outcomes["changelist search"] = response.status_code in (302, 403, 404) or (
            change is None or change not in response.content.decode()
        )
    for action, method, data in (
        ("change", "get", None),
        ("change", "post", {"_save": "1"}),
        ("delete", "get", None),
        ("delete", "post", {"post": "yes"}),
        ("history", "get", None),
    ):
        url = admin_url(model, action, obj)
        if url is None:
            continue
        response = getattr(client, method)(url, data or {})
        outcomes[f"{action} {method.upper()}"] = refused(response, change or url)
    outcomes["object unchanged"] = snapshot(model, obj.pk) == before
    return outcomes


@pytest.fixture
def staff_client(login_as):
    clients = {}

    def get(username):
        if username not in clients:
            clients[username] = login_as(username)
        return clients[username]

    return get


@pytest.mark.django_db
def test_every_registered_admin_model_is_classified():
    """New admin models are picked up: each is either unit-owned or platform-wide."""
    assert SCOPED and set(SCOPED) | set(PLATFORM_WIDE) == set(REGISTERED)
    assert {m._meta.label for m in SCOPED} >= {
        "publishing.Article",
        "columns.Column",
        "columns.Unit",
        "auth.User",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_unit_staff_cannot_reach_another_units_objects(model, demo, staff_client, tally):
    failures = []
    for own, other in OTHER.items():
        foreign = object_of(model, Unit.objects.get(org_code=UNIT_CODES[other]))
        assert foreign is not None, (
            f"no {model._meta.label} of {other} to try, and none could be made"
        )
        search_term = str(foreign)[:30]
        for role in ROLE_ACCOUNTS:
            username = f"{own}_{role}"
            outcomes = try_every_url(staff_client(username), model, foreign, search_term)
            for action, ok in outcomes.items():
                tally[(model._meta.label, username, action)] = "refused" if ok else "FAILED"
                if not ok:
                    failures.append(f"{username} -> {other}'s {foreign!r}: {action}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("model", PLATFORM_WIDE, ids=lambda m: m._meta.label)
def test_unit_staff_cannot_change_platform_wide_objects(model, demo, staff_client, tally):
    if model._meta.label == "django_celery_beat.PeriodicTask":
        # The rows beat writes from the platform's schedule when it starts (ModelEntry is what
        # its scheduler uses; the scheduler itself closes the test's database connection).
        for name, entry in celery_app.conf.beat_schedule.items():
            ModelEntry.from_entry(name, app=celery_app, **entry)
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        try:
            obj = baker.make(model, **distinct_values(model))
        except ValidationError as exc:
            pytest.skip(f"no {model._meta.label} in the demo and none could be made: {exc}")
    failures = []
    change = admin_url(model, "change", obj)
    for unit in OTHER:
        for role in ROLE_ACCOUNTS:
            username = f"{unit}_{role}"
            client = staff_client(username)
            before = snapshot(model, obj.pk)
            for action, data in (("change", {"_save": "1"}), ("delete", {"post": "yes"})):
                url = admin_url(model, action, obj)
                if url is None:
                    continue
                response = client.post(url, data)
                ok = refused(response, change or url) and snapshot(model, obj.pk) == before
                tally[(model._meta.label, username, f"{action} POST")] = (
                    "refused" if ok else "FAILED"
                )
                if not ok:
                    failures.append(f"{username}: {action} of {obj!r}")
    assert not failures, "\n".join(failures)


def test_accounts_of_both_units_exist(db, demo):
    names = {f"{u}_{r}" for u in OTHER for r in ROLE_ACCOUNTS}
    assert (
        set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
        == names
    )
    assert (
        apps.get_model("columns", "Unit").objects.filter(org_code__in=UNIT_CODES.values()).count()
        == 2
    )
