"""双因素认证 — the optional TOTP second factor for staff, required per role by a setting.

SECOND_FACTOR_ROLES lists the roles (Role values) whose holders must confirm each login with
a one-time code from an authenticator app (RFC 6238, via django-otp's TOTPDevice). A holder
without a device enrols first: the page shows the key as a QR code and as text, and the
device counts only once a code from it was accepted. django-otp throttles wrong codes.
Enrolment, each verification and each failed code go to the operation log.
"""

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.permissions import BasePermission

from .audit import record
from .selectors import roles_of

DEVICE_NAME = "authenticator"


def required_for(user):
    """Whether user must confirm logins with a second factor (their roles, by the setting)."""
    wanted = set(settings.SECOND_FACTOR_ROLES)
    return bool(wanted) and bool(roles_of(user) & wanted)


def verified_if_required(user):
    """Whether a signed-in user's session may reach staff data: confirmed with a code, or
    none of their roles needs one."""
    return user.is_verified() or not required_for(user)


class SecondFactorVerified(BasePermission):
    """Staff JSON endpoints refuse a session that still owes its code, as the admin pages
    send it to the code page (SecondFactorMiddleware)."""

    message = gettext_lazy("Confirm your login with the code from your authenticator app first.")

    def has_permission(self, request, view):
        return verified_if_required(request.user)


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user):
    """The device being enrolled: the same key until it is confirmed, so a reload of the
    page does not invalidate the code the person already scanned."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    return device


@transaction.atomic
def confirm(*, request, device, token):
    """Accept token from device: confirm it if new, and mark the session as verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
    if not device.verify_token(token):
        record("second_factor_failed", actor=request.user, target=request.user, request=request)
        return False
    enrolled = not device.confirmed
    if enrolled:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    otp_login(request, device)
    record(
        "second_factor_enrolled" if enrolled else "second_factor_verified",
        actor=request.user,
        target=request.user,
        request=request,
    )
    return True


@transaction.atomic
def reset(*, user, by, request=None):
    """设备重置 — a lost or replaced phone: the account's devices go, and its next login
    enrols a new one. Recorded in the operation log."""
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    record(
        "second_factor_reset", actor=by, target=user, request=request, detail={"devices": removed}
    )
    return removed


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Six-digit code from the authenticator app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": gettext_lazy("Enter the six digits the app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}
        ),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "admin:index"


@login_required
def second_factor(request):
    """Enrol (no confirmed device yet) or verify this session with a code."""
    device = confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm(request=request, device=device, token=form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error(
            "token", _("The code is wrong or expired. Wait for the next code and try again.")
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Set up the second factor") if enrolling else _("Confirm with your code"),
        "form": form,
        "enrolling": enrolling,
        "next": _next(request) if request.GET.get("next") else "",
    }
    if enrolling:
        # Drawn here and never cached: the picture is the secret key.
        image = qrcode.make(
            device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
        )
        context["qr_svg"] = image.to_string(encoding="unicode").split("?>", 1)[-1]
        context["secret"] = " ".join(_chunks(_base32(device)))
    return TemplateResponse(request, "admin/second_factor.html", context)


def _base32(device):
    return b32encode(device.bin_key).decode()


def _chunks(text, size=4):
    return [text[i : i + size] for i in range(0, len(text), size)]


class SecondFactorMiddleware:
    """A staff session whose role requires the second factor reaches staff pages only once
    verified; before that, only the code page and logging out (after django-otp's
    OTPMiddleware, which tells whether the session is verified)."""

    #: The back office (the admin and the staff-only endpoints under /staff/).
    GUARDED_PREFIXES = ("/admin/", "/staff/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.PORTAL_ROLE != "public"  # no staff page exists there
            and request.path.startswith(self.GUARDED_PREFIXES)
            and user.is_authenticated
            and request.path not in (reverse("second_factor"), reverse("admin:logout"))
            and not verified_if_required(user)
        ):
            return redirect(f"{reverse('second_factor')}?{urlencode({'next': request.path})}")
        return self.get_response(request)
