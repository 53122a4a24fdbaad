from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaticsiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staticsite"
    verbose_name = _("Static pages")

    def ready(self):
        from . import receivers  # noqa: F401
