"""Rendering one public page in-process through the real URLconf and middleware, and placing
its file atomically under STATIC_PAGES_ROOT.

A page is rendered as the application would answer an anonymous visitor on the site's host
(its Host header, the sites' SITE_SCHEME), with two middlewares swapped: the page cache (a
cached answer would hide what the page shows) and the visit counter (a render is no visit)
give way to one that records the tags the views declare through request.declare_page_content.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.utils import get_app_template_dirs
from django.test import Client, override_settings
from django.test.client import ClientHandler

#: Middlewares a render goes without, and the one that takes the page cache's place.
SKIPPED_MIDDLEWARE = (
    "monitoring.visits.VisitCountingMiddleware",
    # A render makes the file: it must never answer from the file it replaces.
    "staticsite.serving.PublishedFileMiddleware",
)
PAGE_CACHE_MIDDLEWARE = "portal.caching.PublicPageCacheMiddleware"
RECORDER_MIDDLEWARE = "staticsite.rendering.DeclaredContentRecorder"


class DeclaredContentRecorder:
    """Collects what the views declare they show (publishing.page_tags) on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = set()
        request.declare_page_content = lambda *tags: declared.update(tags)
        response = self.get_response(request)
        response.declared_tags = declared
        return response


def _render_middleware():
    middleware = [m for m in settings.MIDDLEWARE if m not in SKIPPED_MIDDLEWARE]
    return [RECORDER_MIDDLEWARE if m == PAGE_CACHE_MIDDLEWARE else m for m in middleware]


class _RenderHandler(ClientHandler):
    def load_middleware(self, is_async=False):
        # BaseHandler reads settings.MIDDLEWARE; the render's own list is given only here.
        with override_settings(MIDDLEWARE=_render_middleware()):
            super().load_middleware(is_async)


@cache
def _client():
    client = Client(raise_request_exception=False)
    client.handler = _RenderHandler(enforce_csrf_checks=False)
    return client


@dataclass
class Rendered:
    """A page as the application answered it; publishable when a file may stand for it."""

    status: int
    body: bytes = b""
    tags: set = field(default_factory=set)
    sets_cookie: bool = False

    @property
    def publishable(self):
        # A cookie (a CSRF token, a session) means the page depends on its visitor.
        return self.status == 200 and not self.sets_cookie

    @property
    def fingerprint(self):
        return hashlib.sha256(self.body).hexdigest()


def render(host, path):
    """The page at host + path (a path with its query, as stored) answered to nobody."""
    client = _client()
    client.cookies.clear()
    response = client.get(
        path, HTTP_HOST=host, secure=settings.SITE_SCHEME == "https", follow=False
    )
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return Rendered(
        status=response.status_code,
        body=body,
        tags=set(getattr(response, "declared_tags", ())),
        sets_cookie=bool(response.cookies),
    )


# --- files ------------------------------------------------------------------------------------


def file_for(host, path):
    """The file of a page, relative to the output root: <host>/<path>index.html for a path
    ending in /, <host>/<path>index-page-N.html for its ?page=N, <host>/<path> otherwise
    (sitemap.xml, rss.xml, robots.txt)."""
    path, _, query = path.partition("?")
    name = ""
    if path.endswith("/"):
        name = "index.html"
        if query:
            number = query.removeprefix("page=")
            if not number.isdigit() or query != f"page={number}":
                raise ValueError(f"no file stands for the query of {path}?{query}")
            name = f"index-page-{number}.html"
    relative = Path(host.lower()) / (path.lstrip("/") + name)
    if ".." in relative.parts or relative.is_absolute():
        raise ValueError(f"{relative} leaves the output root")
    return str(relative)


def root():
    return Path(settings.STATIC_PAGES_ROOT)


def write_atomically(relative, body):
    """Place body at root/relative: written to a temporary file in the same directory, then
    renamed over the old one, so that a reader sees the old file or the new, never a part."""
    target = root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from the web server
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove(relative):
    (root() / relative).unlink(missing_ok=True)


def file_fingerprint(relative):
    """The sha256 of the file's bytes, or None when it is missing."""
    try:
        return hashlib.sha256((root() / relative).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


# --- the templates' fingerprint -----------------------------------------------------------------


@cache  # a deploy that changes templates restarts the processes
def templates_fingerprint():
    """One sha256 over every template and compiled translation the pages are made of: when a
    deploy changes one, every page rendered with the old ones is stale."""
    folders = set(get_app_template_dirs("templates"))
    for engine in engines.all():
        folders.update(getattr(engine, "dirs", ()) or ())
    files = []
    for folder in sorted({Path(f) for f in folders}):
        files += [(folder, p) for p in folder.rglob("*") if p.is_file()]
    for folder in map(Path, settings.LOCALE_PATHS):
        files += [(folder, p) for p in folder.rglob("*.mo")]
    digest = hashlib.sha256()
    for folder, path in sorted(files):
        # Relative names: the same templates installed elsewhere are the same templates.
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
