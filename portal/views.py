"""Public pages that compose the other apps, and the health check."""

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


def home(request):
    """首页 — the site's homepage."""
    return render(request, "portal/home.html", {})


def page_not_found(request, exception=None):
    return render(request, "portal/404.html", status=404)


def server_error(request):
    return render(request, "portal/500.html", status=500)


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
    """Database, cache and broker status as JSON; 503 when any of them fails."""
    checks = {
        "database": _check(_probe_database),
        "cache": _check(_probe_cache),
        "broker": _check(_probe_broker),
    }
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
