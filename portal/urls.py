"""The URL map; PORTAL_ROLE picks the public half, the admin half, or both [G八(二)]."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from columns import second_factor
from columns import views as columns_views

from . import views
from .search import views as search_views

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

common_patterns = [
    path("healthz", views.healthz, name="healthz"),
    # Uploads, each after its owner's reading rule: public files on both hosts, others to staff.
    path("media/<path:name>", columns_views.media_file, name="media_file"),
]

public_patterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("sitemap/", views.site_map, name="site_map"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("captcha/", include("captcha.urls")),
    path("api/", include("portal.api")),
    # Before publishing's page of the same address: composed with disclosure's figures.
    path("xxgk/annual-reports/", views.annual_reports, name="annual_reports"),
    path("", include("publishing.urls")),
    path("interaction/", include("interaction.urls")),
    path("disclosure/", include("disclosure.urls")),
    path("", include("monitoring.urls")),
]

staff_patterns = [
    path("admin/second-factor/", second_factor.second_factor, name="second_factor"),
    path("admin/", admin.site.urls),
    # django-tinymce's own views (compressor, file browser, link list) are not mounted: the
    # editor loads from static files, and the compressor answered anyone, echoing its input.
]

urlpatterns = list(common_patterns)
if settings.PORTAL_ROLE in ("all", "public"):
    urlpatterns += public_patterns
if settings.PORTAL_ROLE in ("all", "admin"):
    urlpatterns += staff_patterns
