"""Keeps the host-name cache current and logs logins to the operation log."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .audit import record
from .models import Site, SiteHost
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
