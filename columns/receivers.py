"""Keeps the host-name cache and unit group membership current; logs logins."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .audit import record
from .models import Site, SiteHost, StaffProfile
from .selectors import forget_host_map


@receiver([post_save, post_delete], sender=SiteHost)
@receiver([post_save, post_delete], sender=Site)
def _forget_host_map(**kwargs):
    forget_host_map()


@receiver(user_logged_in)
def _log_login(sender, request, user, **kwargs):
    record("login", actor=user, target=user, request=request)


@receiver(user_login_failed)
def _log_failed_login(sender, credentials, request=None, **kwargs):
    record("login_failed", detail={"username": credentials.get("username", "")}, request=request)


@receiver(post_save, sender=StaffProfile)
def _join_unit_group(sender, instance, **kwargs):
    # Whoever changes an account's unit (admin inline, create_staff, a script), the
    # account ends up with exactly its new unit's column permissions.
    from .services import sync_unit_membership

    sync_unit_membership(instance.user)
