"""The Celery app; each platform app declares its beat entries in its own schedule.py."""

import os

from celery import Celery

from .platform_apps import optional_modules

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    name: entry
    for module in optional_modules("schedule")
    for name, entry in module.BEAT_SCHEDULE.items()
}
