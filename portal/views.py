"""Public pages that compose the other apps (homepage, site map), error pages, health check."""

import ipaddress
import sys
import time

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from columns.client_address import client_address
from columns.site_urls import site_origin
from disclosure.selectors import annual_report, report_page_tag
from publishing import page_tags
from publishing.selectors import (
    ColumnTree,
    current_headline,
    homepage_sections,
    public_service_items,
)
from publishing.views import annual_reports as publishing_annual_reports
from publishing.views import bad_request as bad_query
from publishing.views import public_context

from . import sitemap
from .celery import app as celery_app


def home(request):
    """首页 — headline, news, notices, policies and interpretations, services, interaction."""
    site = request.site
    page_tags.depend(request, page_tags.home(site.pk), page_tags.services(site.pk))
    tree = ColumnTree(site)
    context = public_context(
        request,
        tree,
        headline=current_headline(site),
        sections=homepage_sections(tree.columns),
        service_items=list(public_service_items(site)[:8]),
        topics=[c for c in tree.columns if c.is_special_topic][:6],
    )
    return render(request, "portal/home.html", context)


def annual_reports(request):
    """政府信息公开年报 — publishing's list of the reports with, below it, the year's
    依申请公开 table counted from disclosure's records (收到和处理政府信息公开申请情况)."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "").strip()
    try:
        year = int(raw) if raw else this_year
        if not 2008 <= year <= this_year:
            raise ValueError
    except ValueError:
        return bad_query(request, _("Choose a year from 2008 to this year."))
    page_tags.depend(request, report_page_tag(request.site.pk))
    return publishing_annual_reports(
        request,
        template="portal/annual_reports.html",
        extra={
            "request_report": annual_report(request.site, year),
            "report_years": range(this_year, this_year - 5, -1),
        },
    )


def site_map(request):
    """网站地图 — the whole column tree of the site and the entry page of every other public
    page type (信息公开, 办事服务, 互动交流, ...)."""
    tree = ColumnTree(request.site)
    context = public_context(
        request, tree, columns=tree.columns, sections=sitemap.sections(request.site)
    )
    return render(request, "portal/sitemap.html", context)


#: What crawlers skip: result lists of any query, the mailbox's forms and tracking, captchas.
ROBOTS_DISALLOWED = (
    "/search/",
    "/interaction/messages/new/",
    "/interaction/messages/track/",
    "/disclosure/apply/",
    "/disclosure/track/",
    "/captcha/",
)


def robots_txt(request):
    """robots.txt — keeps crawlers off endless query and form pages; points at the sitemap."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    lines.append(f"Sitemap: {request.scheme}://{request.get_host()}/sitemap.xml")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """/favicon.ico, asked for by browsers and crawlers that ignore the page's icon link."""
    return HttpResponsePermanentRedirect(static("portal/favicon.svg"))


def sitemap_xml(request):
    """sitemap.xml — every public page of the site that is the same for every visitor, at
    the site's primary host, for search engines (portal.sitemap says which)."""
    site = request.site
    # Consultations, surveys and interviews have no tag yet: their changes reach this page
    # when one of these tags changes or the entry expires (a day at most).
    page_tags.depend(
        request,
        page_tags.site(site.pk),
        page_tags.all_articles(site.pk),
        page_tags.services(site.pk),
        page_tags.messages(site.pk),
    )
    pages = sitemap.sitemap_pages(site, ColumnTree(site).columns)
    return render(
        request,
        "portal/sitemap.xml",
        {"origin": site_origin(site), "pages": pages},
        content_type="application/xml; charset=utf-8",
    )


def page_not_found(request, exception=None):
    """404 in Chinese; a view's own reason (a str given to Http404) is shown when there is one."""
    reason = exception.args[0] if exception and exception.args else ""
    return render(
        request,
        "portal/404.html",
        {"reason": reason if isinstance(reason, str) else ""},
        status=404,
    )


#: Seconds a visitor (or a crawler) is asked to wait while the database is unreachable.
DATABASE_RETRY_AFTER = 30


def server_error(request):
    """500 in Chinese; while the database is unreachable (a restart, a failover) a 503 that
    asks to come back shortly instead. Rendered without the request's context, which could
    need the very database that is missing (the session, the user)."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(
            render_to_string("portal/503.html"), status=503, content_type="text/html"
        )
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return HttpResponse(render_to_string("portal/500.html"), status=500, content_type="text/html")


def error_page(status, *, title, message):
    """400/403/405 in Chinese, rendered without the request's context (it may be the very
    thing that was refused: an unknown host, a forged form)."""
    return HttpResponse(
        render_to_string("portal/error.html", {"title": title, "message": message}),
        status=status,
        content_type="text/html; charset=utf-8",
    )


def bad_request(request, exception=None):
    return error_page(
        400,
        title=_("Bad request"),
        message=_("The address or the form could not be understood. Check it and try again."),
    )


def permission_denied(request, exception=None):
    return error_page(
        403,
        title=_("Access denied"),
        message=_("You may not open this page. Sign in with an account that may, or go back."),
    )


def csrf_failure(request, reason=""):
    return error_page(
        403,
        title=_("The form has expired"),
        message=_("Reload the page and send the form again; cookies must be allowed."),
    )


def method_not_allowed():
    return error_page(
        405,
        title=_("Not allowed"),
        message=_("This page cannot be used that way. Open it from a link or its form."),
    )


def _check(probe):
    started = time.monotonic()
    try:
        probe()
    except Exception as exc:  # a health check reports every failure instead of raising it
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _probe_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _probe_cache():
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("value written to the cache was not read back")


def _probe_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def healthz(request):
    """Database, cache and broker status as JSON; 503 when any of them fails.

    Anyone gets only "ok" or "degraded"; each check's detail (timings, error text naming
    internal hosts and ports) only staff and the machine itself (the load balancer's probe).
    """
    checks = {
        "database": _check(_probe_database),
        "cache": _check(_probe_cache),
        "broker": _check(_probe_broker),
    }
    healthy = all(c["ok"] for c in checks.values())
    answer = {"status": "ok" if healthy else "degraded"}
    if _may_see_health_detail(request):
        answer["checks"] = checks
    return JsonResponse(answer, status=200 if healthy else 503)


def _may_see_health_detail(request):
    if getattr(request, "user", None) is not None and request.user.is_staff:
        return True
    address = client_address(request)
    return address is not None and ipaddress.ip_address(address).is_loopback
