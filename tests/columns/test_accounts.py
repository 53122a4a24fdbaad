"""Staff accounts: lock-out, forced password change, liaison handover, operator resets."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from columns.models import HandoverRecord, PasswordResetRecord, Site, StaffProfile, Unit
from columns.services import hand_over_liaison

User = get_user_model()
PASSWORD = "Portal-Demo-2026"


def login(username, password):
    client = Client(HTTP_HOST="localhost")
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return client, response


@pytest.mark.django_db
def test_demo_account_logs_in(demo):
    client, response = login("edu_liaison", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account(demo, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _client, response = login("edu_head", "wrong-password")
        assert response.status_code == 200  # the form again, with its error
    _client, response = login("edu_head", "wrong-password")
    assert response.status_code == 429
    _client, response = login("edu_head", PASSWORD)
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


@pytest.mark.django_db
def test_one_persons_failures_do_not_lock_colleagues_at_the_same_address(demo, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login("edu_head", "wrong-password")
    _client, response = login("edu_liaison", PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
def test_expired_password_must_be_changed_first(demo, settings):
    StaffProfile.objects.filter(user__username="fin_head").update(
        password_changed_at=timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    )
    client, _response = login("fin_head", PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/password_change/"
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Qian-Shan-2027!x",
            "new_password2": "Qian-Shan-2027!x",
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    profile = StaffProfile.objects.get(user__username="fin_head")
    assert timezone.now() - profile.password_changed_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_password_within_its_age_is_not_forced(demo):
    client, _response = login("fin_head", PASSWORD)
    assert client.get("/admin/").status_code == 200


def _make_second_edu_account():
    from columns.services import create_staff

    return create_staff(
        username="edu_liaison2",
        unit=Unit.objects.get(name="区教育局"),
        roles=[],
        password="Another-Pass-2026",
    )


@pytest.mark.django_db
def test_handover_moves_duties_deactivates_old_and_forces_new_password(login_as, user_named):
    newcomer = _make_second_edu_account()
    client = login_as("operator")
    unit = Unit.objects.get(name="区教育局")
    response = client.post(
        f"/admin/columns/unit/{unit.pk}/handover/",
        {"old_user": user_named("edu_liaison").pk, "new_user": newcomer.pk},
    )
    assert response.status_code == 302
    old = user_named("edu_liaison")
    assert not old.is_active
    assert not old.groups.exists()
    assert newcomer.groups.filter(name="liaison").exists()
    unit.refresh_from_db()
    assert unit.liaison == newcomer
    assert StaffProfile.objects.get(user=newcomer).must_change_password
    record = HandoverRecord.objects.get()
    assert record.moved["roles"] == ["liaison"]
    # The newcomer's first login goes to the password form.
    first, _response = login("edu_liaison2", "Another-Pass-2026")
    assert first.get("/admin/")["Location"] == "/admin/password_change/"


def _state():
    return (
        list(User.objects.order_by("pk").values_list("username", "is_active")),
        list(Unit.objects.order_by("pk").values_list("liaison_id", flat=True)),
        list(StaffProfile.objects.order_by("pk").values_list("must_change_password", flat=True)),
        HandoverRecord.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_username", "expected"),
    [
        ("edu_liaison", "不同"),  # the same person
        ("fin_head", "不属于"),  # a user of another unit
        ("inactive", "停用"),  # an inactive account
    ],
)
def test_handover_with_bad_input_is_refused_and_changes_nothing(
    login_as, user_named, new_username, expected
):
    newcomer = _make_second_edu_account()
    if new_username == "inactive":
        newcomer.is_active = False
        newcomer.save()
        new_username = newcomer.username
    before = _state()
    unit = Unit.objects.get(name="区教育局")
    response = login_as("operator").post(
        f"/admin/columns/unit/{unit.pk}/handover/",
        {"old_user": user_named("edu_liaison").pk, "new_user": user_named(new_username).pk},
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert _state() == before


@pytest.mark.django_db
def test_handover_of_someone_who_is_not_the_liaison_is_refused(user_named):
    newcomer = _make_second_edu_account()
    with pytest.raises(ValidationError):
        hand_over_liaison(
            unit=Unit.objects.get(name="区教育局"),
            old_user=user_named("edu_head"),
            new_user=newcomer,
            performed_by=user_named("operator"),
        )
    assert user_named("edu_head").is_active


@pytest.mark.django_db
def test_only_operator_may_open_handover(login_as):
    unit = Unit.objects.get(name="区教育局")
    assert login_as("edu_liaison").get(f"/admin/columns/unit/{unit.pk}/handover/").status_code in (
        302,
        403,
    )


@pytest.mark.django_db
def test_operator_resets_password_on_recorded_request(login_as, user_named):
    client = login_as("operator")
    target = user_named("fin_liaison")
    response = client.post(
        f"/admin/auth/user/{target.pk}/operator-reset/",
        {"request_reference": "工单 2026-118", "reason": "本人遗忘密码，持工作证现场申请"},
    )
    assert response.status_code == 200
    temporary = response.context["temporary"]
    assert temporary
    record = PasswordResetRecord.objects.get()
    assert record.user == target and record.operator == user_named("operator")
    assert StaffProfile.objects.get(user=target).must_change_password
    fresh, _response = login("fin_liaison", temporary)
    assert fresh.get("/admin/")["Location"] == "/admin/password_change/"


@pytest.mark.django_db
def test_reset_without_reason_changes_nothing(login_as, user_named):
    target = user_named("fin_liaison")
    password_before = target.password
    response = login_as("operator").post(
        f"/admin/auth/user/{target.pk}/operator-reset/", {"request_reference": "", "reason": ""}
    )
    assert response.status_code == 200
    assert not PasswordResetRecord.objects.exists()
    target.refresh_from_db()
    assert target.password == password_before


@pytest.mark.django_db
def test_non_operator_cannot_reset_passwords(login_as, user_named):
    target = user_named("fin_liaison")
    response = login_as("edu_head").post(
        f"/admin/auth/user/{target.pk}/operator-reset/",
        {"request_reference": "x", "reason": "y"},
    )
    assert response.status_code in (302, 403)
    assert not PasswordResetRecord.objects.exists()


@pytest.mark.django_db
def test_admin_password_form_for_others_goes_through_the_recorded_reset(login_as, user_named):
    target = user_named("fin_liaison")
    response = login_as("operator").get(f"/admin/auth/user/{target.pk}/password/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/auth/user/{target.pk}/operator-reset/")


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["5201020001", "bm12345678"])
def test_valid_site_codes(code):
    from columns.models import validate_site_code

    validate_site_code(code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code", ["520102000", "52010200011", "bm1234567", "BM12345678", "52010A0001", ""]
)
def test_invalid_site_codes_are_refused_by_the_admin(login_as, code, demo):
    before = Site.objects.count()
    response = login_as("operator").post(
        "/admin/columns/site/add/",
        {
            "name": "测试站",
            "site_code": code,
            "icp_number": "x",
            "police_number": "y",
            "sponsor": "s",
            "organiser": "o",
            "status": "open",
            "hosts-TOTAL_FORMS": "0",
            "hosts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "网站标识码" in response.content.decode()
    assert Site.objects.count() == before


@pytest.mark.django_db
def test_logins_and_resets_are_in_the_operation_log(login_as, user_named):
    from columns.models import OperationLog

    login("fin_head", PASSWORD)
    login("fin_head", "wrong")
    target = user_named("fin_liaison")
    login_as("operator").post(
        f"/admin/auth/user/{target.pk}/operator-reset/",
        {"request_reference": "工单 7", "reason": "遗忘"},
    )
    actions = list(OperationLog.objects.values_list("action", flat=True))
    assert {"login", "login_failed", "password_reset"} <= set(actions)
    # Evidence cannot be edited or deleted from the admin.
    entry = OperationLog.objects.first()
    client = login_as("operator")
    assert client.post(f"/admin/columns/operationlog/{entry.pk}/delete/").status_code == 403
