"""The platform's admin site: its titles, the 工作台 (workbench) as its first page, and the
full list of functions one click further; each app registers its own models."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from publishing.views import article_preview

from . import workbench

#: Headers of Django's admin app list (read by screen readers) that Django's own zh_Hans
#: catalogue lacks; named here so that makemessages keeps them in ours.
DJANGO_ADMIN_STRINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)


class PortalAdminSite(admin.AdminSite):
    site_header = _("Government portal platform")
    site_title = _("Government portal platform")
    index_title = _("Work desk")

    def get_urls(self):
        # Before Django's own: its app pattern would take "functions/" for an app label.
        return [
            path("functions/", self.admin_view(self.functions_view), name="functions"),
            # Not admin_view: a visitor without the right gets a 404, not a login page.
            path("preview/articles/<int:pk>/", article_preview, name="article_preview"),
        ] + super().get_urls()

    def index(self, request, extra_context=None):
        """工作台 — what this person must do now, by role, each entry linking to its page."""
        context = {
            **self.each_context(request),
            "title": self.index_title,
            "subtitle": None,
            "sections": workbench.sections_for(request.user),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/workbench.html", context)

    def functions_view(self, request):
        """全部功能 — every model the user may open, grouped by app (Django's former index)."""
        return super().index(request, {"title": _("All functions")})
