"""The published files answered by the application itself, for `make run` on a machine without
nginx (STATIC_PAGES_SERVE=1): the same lookup as deploy/nginx/portal-public.conf, so the demo
serves what production serves. Production leaves this off; nginx answers the files."""

import mimetypes

from django.core.exceptions import DisallowedHost
from django.http import FileResponse
from django.http.request import split_domain_port
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import rendering


def published_file(request):
    """The file standing for request under STATIC_PAGES_ROOT, or None: GET or HEAD, no query
    string but ?page=N, a file the publisher wrote."""
    if request.method not in ("GET", "HEAD"):
        return None
    query = request.META.get("QUERY_STRING", "")
    try:
        host, _port = split_domain_port(request.get_host())
        relative = rendering.file_for(host, request.path + (f"?{query}" if query else ""))
    except (DisallowedHost, ValueError):
        return None  # the application gives the answer (400, or the filtered list)
    file = rendering.root() / relative
    return file if file.is_file() else None


class PublishedFileMiddleware:
    """Answers a published page from its file, with nginx's validators (ETag, Last-Modified)
    and Cache-Control: no-cache; the middlewares above it add the security headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        file = published_file(request)
        if file is None:
            return self.get_response(request)
        stat = file.stat()
        etag = f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'  # nginx's form
        last_modified = int(stat.st_mtime)
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            content_type, _ = mimetypes.guess_type(file.name)
            if content_type and content_type.startswith("text/"):
                content_type += "; charset=utf-8"
            response = FileResponse(file.open("rb"), content_type=content_type)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = "no-cache"
        return response
