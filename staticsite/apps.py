from django.apps import AppConfig


class StaticsiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staticsite"
    verbose_name = "静态发布"

    def ready(self):
        from . import receivers  # noqa: F401
