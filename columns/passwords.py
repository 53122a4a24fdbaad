"""Password age: when each staff password was last set, and whether it has expired."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class PasswordAgeRecorder:
    """Hooks Django's password_changed() to restart the 90-day clock [G八(三)].

    It is listed among AUTH_PASSWORD_VALIDATORS only because that is where Django calls
    password_changed() after every set_password()+save(); it rejects no password.
    """

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        from .models import StaffProfile

        if user is None or user.pk is None:
            return
        StaffProfile.objects.filter(user=user).update(
            password_changed_at=timezone.now(), must_change_password=False
        )

    def get_help_text(self):
        return ""


def password_expired(profile):
    """True when the account must change its password before doing anything else."""
    if profile.must_change_password:
        return True
    max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    return timezone.now() - profile.password_changed_at > max_age


def password_current(user):
    """False while a staff account must change its password before doing anything else."""
    profile = getattr(user, "staff_profile", None)
    return profile is None or not password_expired(profile)


class PasswordCurrent(BasePermission):
    """Staff JSON endpoints refuse an account that must change its password first, as the
    admin pages send it to the change form (portal.middleware.PasswordExpiryMiddleware)."""

    message = _("Change your expired or reset password in the admin first.")

    def has_permission(self, request, view):
        return password_current(request.user)
