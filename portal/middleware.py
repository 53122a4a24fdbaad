"""Per-request site resolution, the forced password change for staff, and Chinese pages for
the errors Django answers with an empty body."""

import logging

from django.conf import settings
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, ValidationError
from django.core.paginator import InvalidPage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from columns.passwords import password_expired
from columns.selectors import site_for_host

from . import views

#: Paths that belong to no public site: the admin host may answer on any name.
SITELESS_PREFIXES = ("/admin/", "/staff/", "/healthz", "/static/", "/media/", "/captcha/")


def is_staff_path(path):
    return path.startswith(("/admin/", "/staff/"))


class SiteMiddleware:
    """Sets request.site from the Host header; an unknown host gets a clear 404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.site = site_for_host(request.get_host())
        if request.site is None and not request.path.startswith(SITELESS_PREFIXES):
            return render(
                request,
                "portal/unknown_site.html",
                {"host": request.get_host()},
                status=404,
            )
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """A staff account whose password expired or was reset goes to the change form first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.PORTAL_ROLE != "public"
            and user.is_authenticated
            and is_staff_path(request.path)
        ):
            profile = getattr(user, "staff_profile", None)
            allowed = {
                reverse("admin:password_change"),
                reverse("admin:password_change_done"),
                reverse("admin:logout"),
            }
            if profile and request.path not in allowed and password_expired(profile):
                from django.contrib import messages

                messages.warning(
                    request,
                    _(
                        "Your password has expired or was reset. Choose a new password to go on "
                        "(passwords expire every %(days)s days)."
                    )
                    % {"days": settings.PASSWORD_MAX_AGE_DAYS},
                )
                return redirect("admin:password_change")
        return self.get_response(request)


class SiteAvailabilityMiddleware:
    """A permanently closed site shows its closing notice and where its content moved [S三];
    during a temporary offline window [Q§10] a site shows the maintenance page. Staff paths
    stay reachable so that the operator can reopen a site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = getattr(request, "site", None)
        if site is None or request.path.startswith(SITELESS_PREFIXES):
            return self.get_response(request)
        if site.status == site.Status.CLOSED:
            return render(request, "portal/closed.html", {"site": site}, status=410)
        from django.utils import timezone

        from columns.offline import announced_windows, window_at

        now = timezone.now()
        # Kept on the request: every public page shows the notices of these windows.
        request.announced_offline_windows = list(announced_windows(site, now))
        window = window_at(request.announced_offline_windows, now)
        if window is not None:
            response = render(
                request, "portal/maintenance.html", {"site": site, "window": window}, status=503
            )
            response["Retry-After"] = str(int((window.ends_at - now).total_seconds()))
            return response
        return self.get_response(request)


#: What a malformed query string (?o=abc, ?p=x, ?id__in=x, ?date__gte=garbage) raises when
#: an admin list turns it into a query: the visitor's mistake, answered with a 400.
MALFORMED_QUERY_ERRORS = (
    ValueError,
    TypeError,
    ValidationError,
    FieldError,
    IncorrectLookupParameters,
    InvalidPage,
)
logger = logging.getLogger(__name__)


class ErrorPageMiddleware:
    """Empty 400/403/405 answers (HttpResponseNotAllowed and the like) get the Chinese error
    page; a staff page whose query string its list cannot use is a 400, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in (400, 403, 405) or getattr(response, "streaming", False):
            return response
        if response.content:
            return response
        if response.status_code == 405:
            page = views.method_not_allowed()
            page["Allow"] = response.get("Allow", "")
            return page
        if response.status_code == 400:
            return views.bad_request(request)
        return views.permission_denied(request)

    def process_exception(self, request, exception):
        if (
            is_staff_path(request.path)
            and request.GET
            and isinstance(exception, MALFORMED_QUERY_ERRORS)
        ):
            logger.warning("Malformed query string on %s: %r", request.get_full_path(), exception)
            return views.bad_request(request, exception)
        return None
