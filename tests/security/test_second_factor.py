"""双因素认证: roles named in SECOND_FACTOR_ROLES reach no staff page until the session is
confirmed with a TOTP code; enrolment needs a code from the new device; wrong codes are
refused, logged and throttled; other roles are not asked."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from columns.models import OperationLog

from .reporting import print_summary
from .test_private_files import message_photo

pytestmark = pytest.mark.django_db

PAGE = "/admin/second-factor/"
GUARDED = ["/admin/", "/admin/interaction/message/", "/admin/password_change/"]
STAFF_JSON = "/interaction/api/staff/messages/"


@pytest.fixture
def operator_needs_it(settings):
    settings.SECOND_FACTOR_ROLES = ["operator"]


def code(device, steps_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def test_role_that_needs_it_enrols_then_reaches_the_admin(operator_needs_it, login_as, request):
    operator = login_as("operator")
    refused = 0
    for path in GUARDED:
        response = operator.get(path)
        assert response.status_code == 302 and response["Location"].startswith(PAGE), path
        refused += 1

    page = operator.get(f"{PAGE}?next=/admin/interaction/message/")
    body = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'class="second-factor-qr"[^>]*><svg', body)
    assert 'id="second-factor-key"' in body
    device = TOTPDevice.objects.get(user__username="operator")
    assert not device.confirmed
    # Reloading keeps the key the person may already have scanned.
    operator.get(PAGE)
    assert TOTPDevice.objects.get(user__username="operator").key == device.key

    wrong = operator.post(PAGE, {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "验证码错误或已过期" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert operator.get("/admin/").status_code == 302
    assert OperationLog.objects.filter(action="second_factor_failed").count() == 1
    device.throttle_reset()

    done = operator.post(PAGE, {"token": code(device), "next": "/admin/interaction/message/"})
    assert done.status_code == 302 and done["Location"] == "/admin/interaction/message/"
    device.refresh_from_db()
    assert device.confirmed
    assert operator.get("/admin/").status_code == 200
    assert OperationLog.objects.filter(action="second_factor_enrolled").count() == 1

    # A new login verifies with the confirmed device; no new key is shown.
    again = login_as("operator")
    assert again.get("/admin/").status_code == 302
    verify = again.get(PAGE).content.decode()
    assert "second-factor-qr" not in verify and 'id="second-factor-key"' not in verify
    assert again.post(PAGE, {"token": code(device, steps_ahead=1)}).status_code == 302
    assert again.get("/admin/").status_code == 200
    assert OperationLog.objects.filter(action="second_factor_verified").count() == 1
    print_summary(
        request, f"second factor: {refused} staff pages refused before the code, 1 wrong code"
    )


def test_wrong_codes_are_throttled_and_a_code_is_used_once(operator_needs_it, login_as):
    operator = login_as("operator")
    operator.get(PAGE)
    device = TOTPDevice.objects.get(user__username="operator")
    right = code(device)
    operator.post(PAGE, {"token": "000000" if right != "000000" else "111111"})
    # Throttled: right after a wrong code even the right one is refused until the delay
    # (doubling with each failure) has passed.
    assert operator.post(PAGE, {"token": right}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1

    device.throttle_reset()
    assert operator.post(PAGE, {"token": right}).status_code == 302
    replay = login_as("operator")
    assert replay.post(PAGE, {"token": right}).status_code == 200  # the same code again
    assert replay.get("/admin/").status_code == 302


def test_malformed_code_is_refused_with_a_clear_error(operator_needs_it, login_as):
    operator = login_as("operator")
    response = operator.post(PAGE, {"token": "12ab"})
    assert "请输入应用显示的 6 位数字" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_roles_not_named_are_not_asked(operator_needs_it, login_as):
    assert login_as("edu_liaison").get("/admin/").status_code == 200
    assert not TOTPDevice.objects.exists()


def test_nobody_is_asked_when_the_setting_is_empty(settings, login_as):
    settings.SECOND_FACTOR_ROLES = []
    assert login_as("operator").get("/admin/").status_code == 200


def test_operator_resets_a_lost_phone_and_the_next_login_enrols_again(
    operator_needs_it, login_as, user_named
):
    inspector = user_named("inspector")
    device = TOTPDevice.objects.create(user=inspector, name="authenticator", confirmed=True)
    changelist = "/admin/auth/user/"
    refused = login_as("edu_liaison").post(
        changelist, {"action": "reset_second_factor", "_selected_action": [inspector.pk]}
    )
    assert refused.status_code in (302, 403) and TOTPDevice.objects.filter(pk=device.pk).exists()

    operator = login_as("operator")
    operator.get(PAGE)  # the operator's own role needs the factor too: enrol first
    operator_device = TOTPDevice.objects.get(user__username="operator")
    assert operator.post(PAGE, {"token": code(operator_device)}).status_code == 302
    response = operator.post(
        changelist, {"action": "reset_second_factor", "_selected_action": [inspector.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=inspector).exists()
    entry = OperationLog.objects.get(action="second_factor_reset")
    assert entry.actor.username == "operator"
    assert "TOTP" not in operator.get("/admin/functions/").content.decode()


def test_staff_json_and_private_files_wait_for_the_code(settings, tmp_path, login_as, user_named):
    """The back office outside /admin/: the staff JSON API and the private files a staff
    session may read answer only once the session is confirmed with a code."""
    settings.SECOND_FACTOR_ROLES = ["dispatcher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ACCEL_REDIRECT = False
    photo, readers, _other_unit = message_photo()
    assert "dispatcher" in readers
    dispatcher = login_as("dispatcher")
    device = TOTPDevice.objects.create(
        user=user_named("dispatcher"), name="authenticator", confirmed=True
    )
    api = dispatcher.get(STAFF_JSON)
    assert api.status_code == 403 and b"tracking_code" not in api.content
    assert dispatcher.get(photo.url).status_code == 404

    assert dispatcher.post(PAGE, {"token": code(device)}).status_code == 302
    assert b"tracking_code" in dispatcher.get(STAFF_JSON).content
    assert dispatcher.get(photo.url).status_code == 200
