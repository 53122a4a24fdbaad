from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import cache_invalidation, receivers  # noqa: F401


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the platform's site (portal.admin): the workbench as its index."""

    default = False  # "portal" itself stays PortalConfig
    default_site = "portal.admin.PortalAdminSite"
