"""The admin's titles; each app registers its own models."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Government portal platform")
admin.site.site_title = _("Government portal platform")
admin.site.index_title = _("Work desk")
