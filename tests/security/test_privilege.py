"""Superuser status and account access (issue 15 item 6): nobody makes a superuser through the
admin (only createsuperuser on the command line does), and every change of an account's roles,
groups, permissions and staff status — in the admin's user form or through the services — is
in the operation log with what it was before and after."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from columns import services
from columns.models import OperationLog, Role, Unit

from .reporting import print_summary
from .test_uploads import FormValues

pytestmark = pytest.mark.django_db

User = get_user_model()
#: check -> "held" / "FAILED"
RESULTS = {}
LOG_MARK = 0


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    yield
    if RESULTS:
        failed = sorted(k for k, v in RESULTS.items() if v != "held")
        print_summary(
            request,
            f"privilege: {len(RESULTS)} checks, {len(RESULTS) - len(failed)} held, "
            f"{len(failed)} failed" + (f" ({'; '.join(failed)})" if failed else ""),
        )


def _tally(name, ok):
    RESULTS[name] = "held" if ok else "FAILED"
    assert ok, name


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


#: Ticked boxes of the user form; FormValues reads a ticked box without a value as "".
CHECKBOXES = ("is_active", "is_staff", "staff_profile-0-must_change_password")


def form_of(client, url):
    """The user form as the browser would send it back unchanged."""
    form = FormValues()
    form.feed(client.get(url).content.decode())
    data = {k: v for k, v in form.values.items() if "__prefix__" not in k}
    return {k: ("on" if k in CHECKBOXES else v) for k, v in data.items()}


@pytest.fixture(autouse=True)
def _log_mark(demo):
    """Only what the test itself logs counts (the demo's accounts were logged when made)."""
    global LOG_MARK
    LOG_MARK = OperationLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def access_log(user):
    return list(
        OperationLog.objects.filter(
            action="account_access_changed", target_id=str(user.pk), pk__gt=LOG_MARK
        )
        .order_by("pk")
        .values_list("actor__username", "detail")
    )


def test_operator_cannot_make_a_superuser_through_the_user_form(login_as, user_named):
    operator = login_as("operator")
    target = user_named("edu_liaison")
    before = services.access_of(target)
    data = form_of(operator, change_url(target))
    response = operator.post(change_url(target), {**data, "is_superuser": "on"})
    assert response.status_code in (200, 302)
    target.refresh_from_db()
    _tally(
        "operator POSTs is_superuser=on on the change form: not superuser", not target.is_superuser
    )
    _tally("…and nothing else about the account changed", services.access_of(target) == before)
    _tally("…and no access change is logged, as none happened", access_log(target) == [])


def test_operator_cannot_make_themselves_superuser(login_as, user_named):
    operator = login_as("operator")
    me = user_named("operator")
    data = form_of(operator, change_url(me))
    operator.post(change_url(me), {**data, "is_superuser": "on"})
    me.refresh_from_db()
    _tally("operator POSTs is_superuser=on on their own form: not superuser", not me.is_superuser)


def test_new_account_from_the_admin_is_no_superuser(login_as):
    operator = login_as("operator")
    response = operator.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new_clerk",
            "usable_password": "true",
            "password1": "Aa1!long-enough-password",
            "password2": "Aa1!long-enough-password",
            "is_superuser": "on",
            "is_staff": "on",
            "staff_profile-TOTAL_FORMS": "0",
            "staff_profile-INITIAL_FORMS": "0",
            "staff_profile-MIN_NUM_FORMS": "0",
            "staff_profile-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="new_clerk")
    _tally("operator adds an account with is_superuser=on: not superuser", not created.is_superuser)
    _tally("…and the new account is logged", bool(access_log(created)))


def test_superuser_field_is_read_only_even_for_a_superuser(client, user_named):
    root = User.objects.create_superuser("root_cli", "root@example.gov.cn", "Aa1!root-password")
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    target = user_named("edu_head")
    data = form_of(client, change_url(target))
    assert "is_superuser" not in data
    client.post(change_url(target), {**data, "is_superuser": "on"})
    target.refresh_from_db()
    _tally("superuser POSTs is_superuser=on: not superuser", not target.is_superuser)
    # The command line is the way.
    call_command(
        "createsuperuser",
        username="cli_root",
        email="cli@example.gov.cn",
        interactive=False,
        stdout=open("/dev/null", "w"),
    )
    assert User.objects.get(username="cli_root").is_superuser


def test_role_and_staff_changes_in_the_user_form_are_logged(login_as, user_named):
    operator = login_as("operator")
    target = user_named("fin_liaison")
    data = form_of(operator, change_url(target))
    inspector_group = Group.objects.get(name=Role.INSPECTOR)
    data["groups"] = [*data.get("groups", []), str(inspector_group.pk)]
    data.pop("is_staff", None)  # unticked
    response = operator.post(change_url(target), data)
    assert response.status_code == 302
    log = access_log(target)
    _tally("role given in the user form is logged", len(log) == 1 and log[0][0] == "operator")
    detail = log[0][1] if log else {}
    groups = detail.get("groups", {})
    _tally(
        "…with the groups before and after",
        Role.INSPECTOR not in groups.get("before", [])
        and Role.INSPECTOR in groups.get("after", []),
    )
    _tally(
        "staff status taken away is logged before/after",
        detail.get("is_staff") == {"before": True, "after": False},
    )


def test_operator_cannot_hand_out_single_permissions(login_as, user_named):
    operator = login_as("operator")
    target = user_named("edu_liaison")
    data = form_of(operator, change_url(target))
    permission = Permission.objects.get(codename="change_group")
    operator.post(change_url(target), {**data, "user_permissions": [str(permission.pk)]})
    _tally(
        "operator cannot give a single permission in the user form",
        not target.user_permissions.exists(),
    )


def test_permission_given_by_a_superuser_is_logged(client, user_named):
    root = User.objects.create_superuser("root_cli2", "root2@example.gov.cn", "Aa1!root-password")
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    target = user_named("edu_liaison")
    data = form_of(client, change_url(target))
    permission = Permission.objects.get(codename="view_operationlog")
    response = client.post(change_url(target), {**data, "user_permissions": [str(permission.pk)]})
    assert response.status_code == 302
    log = access_log(target)
    _tally(
        "single permission given by a superuser is logged before/after",
        len(log) == 1
        and log[0][1].get("permissions") == {"before": [], "after": ["columns.view_operationlog"]},
    )


def test_role_changes_through_the_services_are_logged(user_named):
    edu = Unit.objects.get(name="区教育局")
    services.create_staff(
        username="edu_clerk", unit=edu, roles=[Role.LIAISON], password="Aa1!clerk-password"
    )
    clerk = User.objects.get(username="edu_clerk")
    services.create_staff(
        username="edu_clerk",
        unit=edu,
        roles=[Role.SECTION_HEAD],
        password="ignored",
        by=user_named("operator"),
    )
    log = access_log(clerk)
    _tally("account created by the service is logged", len(log) == 2)
    _tally(
        "role changed by the service is logged with actor and before/after",
        log[1][0] == "operator"
        and Role.LIAISON in log[1][1]["groups"]["before"]
        and Role.SECTION_HEAD in log[1][1]["groups"]["after"],
    )


def test_handover_logs_both_accounts_access(user_named):
    edu = Unit.objects.get(name="区教育局")
    services.create_staff(username="edu_new", unit=edu, roles=[], password="Aa1!new-password")
    old, new = user_named("edu_liaison"), user_named("edu_new")
    services.hand_over_liaison(
        unit=edu, old_user=old, new_user=new, performed_by=user_named("operator")
    )
    old_log, new_log = access_log(old), access_log(new)
    _tally(
        "handover: the old account's roles and active flag taken away are logged",
        old_log
        and old_log[-1][0] == "operator"
        and Role.LIAISON in old_log[-1][1]["groups"]["before"]
        and old_log[-1][1]["is_active"] == {"before": True, "after": False},
    )
    _tally(
        "handover: the new account's roles are logged",
        new_log and Role.LIAISON in new_log[-1][1]["groups"]["after"],
    )


def test_a_roles_permissions_changed_in_the_admin_are_logged(client):
    root = User.objects.create_superuser("root_cli3", "root3@example.gov.cn", "Aa1!root-password")
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    group = Group.objects.get(name=Role.INSPECTOR)
    url = reverse("admin:auth_group_change", args=[group.pk])
    data = form_of(client, url)
    extra = Permission.objects.get(content_type__app_label="auth", codename="delete_user")
    response = client.post(url, {**data, "permissions": [*data["permissions"], str(extra.pk)]})
    assert response.status_code == 302
    log = list(
        OperationLog.objects.filter(
            action="group_permissions_changed", target_id=str(group.pk), pk__gt=LOG_MARK
        ).values_list("actor__username", "detail")
    )
    _tally(
        "a role's permission added in the group form is logged before/after",
        len(log) == 1
        and log[0][0] == "root_cli3"
        and "auth.delete_user" not in log[0][1]["permissions"]["before"]
        and "auth.delete_user" in log[0][1]["permissions"]["after"],
    )
