"""The top of the platform: settings, urls, the Celery app and the public pages that compose
the other apps. Nothing imports portal except Django's loading of settings and urls."""

from .celery import app as celery_app

__all__ = ["celery_app"]
