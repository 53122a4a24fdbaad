"""Links to admin pages from code that may run where the admin is not served (a beat worker
with PORTAL_ROLE=public has no admin in its URL map): reversed against the admin's own map.

This module is that map (its urlpatterns), so the links follow the admin's URL names, never a
copied path. The map is built on first use: importing the admin site while apps load would
import it before it is defined.
"""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.http import urlencode


def __getattr__(name):
    if name == "urlpatterns":
        return [path("admin/", admin.site.urls)]
    raise AttributeError(name)


def change_url(obj):
    """The admin page of obj, e.g. for a notification."""
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk], urlconf=__name__
    )


def changelist_url(model, **filters):
    """The admin list of model, filtered by the lookups given (column__id__exact=3)."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", urlconf=__name__)
    return f"{url}?{urlencode(filters)}" if filters else url
