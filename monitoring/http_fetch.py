"""Polite HTTP fetching for the crawler and the probes: timeouts, a per-host limit, one
outcome per URL per run, and every failure turned into a finding instead of an exception."""

import errno
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from publishing import outbound

USER_AGENT = "PortalMonitor/1.0 (+government website inspection)"
#: Bodies are read only from HTML pages of the site itself, and only this much of them.
MAX_BODY_BYTES = 2 * 1024 * 1024


def connection_problem(exc):
    """Why a connection failed, in words: never the raw "[Errno 111] Connection refused"."""
    reason = getattr(exc, "reason", exc)  # urllib wraps the socket's error
    if isinstance(reason, socket.gaierror):
        words = _("the host name does not resolve")
    elif isinstance(reason, ConnectionRefusedError):
        words = _("the server refused the connection")
    elif isinstance(reason, ConnectionResetError | ConnectionAbortedError):
        words = _("the server broke off the connection")
    elif isinstance(reason, ssl.SSLCertVerificationError):
        words = _("the site's certificate is not valid")
    elif isinstance(reason, ssl.SSLError):
        words = _("the secure connection failed")
    elif getattr(reason, "errno", None) in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        words = _("the server cannot be reached")
    elif isinstance(reason, http.client.HTTPException | ValueError):
        words = _("the answer is not valid HTTP")
    else:
        words = _("the connection failed")
    return _("cannot connect: %(reason)s") % {"reason": words}


@dataclass
class Outcome:
    """What a URL answered: ok means a 2xx after redirects."""

    url: str
    ok: bool
    status_code: int | None = None
    problem: str = ""
    final_url: str = ""
    html: str | None = None
    elapsed_ms: int | None = None


def malformed_problem(url):
    """A reason when url cannot be requested at all, else an empty string."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError on a bad port
    except ValueError:
        return _("malformed link")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("malformed link")
    if any(ch.isspace() for ch in url.strip()):
        return _("malformed link")
    return ""


def site_opener(url):
    """The opener for one of the site's own pages.

    With MONITORING_SITE_ADDRESS set, connections to url's host open at that address instead
    of where the host name resolves (as curl's --connect-to): the Host header, the TLS server
    name and the certificate check stay the site's. A redirect to another host goes where its
    name resolves.
    """
    address = settings.MONITORING_SITE_ADDRESS
    if not address:
        return urllib.request.build_opener()
    host = urlsplit(url).hostname
    at = urlsplit(f"//{address}")

    def connecting_at_address(base):
        class Connection(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.host == host:
                    create = self._create_connection
                    self._create_connection = lambda address, *rest: create(
                        (at.hostname, at.port or address[1]), *rest
                    )

        return Connection

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(connecting_at_address(http.client.HTTPConnection), req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(
                connecting_at_address(http.client.HTTPSConnection), req, context=self._context
            )

    return urllib.request.build_opener(HTTPHandler, HTTPSHandler)


class Fetcher:
    """Fetches URLs from many threads, at most per_host at once to the same host, each URL
    once: later calls for a URL get the first outcome (external checks are not repeated)."""

    def __init__(self, *, timeout=None, per_host=None):
        self.timeout = timeout or settings.MONITORING_HTTP_TIMEOUT
        self.per_host = per_host or settings.MONITORING_CRAWL_PER_HOST
        self._lock = threading.Lock()
        self._hosts = {}
        self._outcomes = {}

    def _slot(self, host):
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.BoundedSemaphore(self.per_host)
            return self._hosts[host]

    def fetch(self, url, *, read_html=False, public_only=False):
        """The outcome for url; public_only for links found in content, which may point
        anywhere: those are requested only at public addresses (publishing.outbound)."""
        with self._lock:
            known = self._outcomes.get(url)
        if known is not None and (known.html is not None or not read_html or not known.ok):
            return known
        if public_only:
            outcome = self._request_public(url)
        else:
            outcome = self._request(url, read_html=read_html)
        with self._lock:
            self._outcomes[url] = outcome
        return outcome

    def _request_public(self, url):
        problem = malformed_problem(url)
        if problem:
            return Outcome(url=url, ok=False, problem=problem)
        started = time.monotonic()
        with self._slot(urlsplit(url).hostname):
            try:
                answer = outbound.fetch(url, timeout=self.timeout)
            except outbound.RefusedAddress:
                # The same words whatever listens there: the request was never made.
                return Outcome(url=url, ok=False, problem=_("private address, not requested"))
            except outbound.TooManyRedirects:
                return Outcome(url=url, ok=False, problem=_("too many redirects"))
            except TimeoutError:
                return Outcome(
                    url=url,
                    ok=False,
                    problem=_("no answer within %(seconds)s s") % {"seconds": self.timeout},
                )
            except (http.client.HTTPException, OSError, ValueError) as exc:
                return Outcome(url=url, ok=False, problem=connection_problem(exc))
        elapsed_ms = int((time.monotonic() - started) * 1000)
        if answer.status >= 400:
            return Outcome(
                url=url,
                ok=False,
                status_code=answer.status,
                problem=_("HTTP %(code)s") % {"code": answer.status},
                elapsed_ms=elapsed_ms,
            )
        return Outcome(
            url=url,
            ok=True,
            status_code=answer.status,
            final_url=answer.url,
            elapsed_ms=elapsed_ms,
        )

    def _request(self, url, *, read_html):
        problem = malformed_problem(url)
        if problem:
            return Outcome(url=url, ok=False, problem=problem)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        started = time.monotonic()
        with self._slot(urlsplit(url).hostname):
            try:
                with site_opener(url).open(request, timeout=self.timeout) as response:
                    html = None
                    content_type = response.headers.get("Content-Type", "")
                    if read_html and "html" in content_type:
                        charset = response.headers.get_content_charset() or "utf-8"
                        html = response.read(MAX_BODY_BYTES).decode(charset, errors="replace")
                    return Outcome(
                        url=url,
                        ok=True,
                        status_code=response.status,
                        final_url=response.url,
                        html=html,
                        elapsed_ms=int((time.monotonic() - started) * 1000),
                    )
            except urllib.error.HTTPError as exc:
                return Outcome(
                    url=url,
                    ok=False,
                    status_code=exc.code,
                    problem=_("HTTP %(code)s") % {"code": exc.code},
                    elapsed_ms=int((time.monotonic() - started) * 1000),
                )
            except TimeoutError:
                return Outcome(
                    url=url,
                    ok=False,
                    problem=_("no answer within %(seconds)s s") % {"seconds": self.timeout},
                )
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError | socket.timeout):
                    problem = _("no answer within %(seconds)s s") % {"seconds": self.timeout}
                else:
                    problem = connection_problem(exc)
                return Outcome(url=url, ok=False, problem=problem)
            except (http.client.HTTPException, OSError, ValueError) as exc:
                return Outcome(url=url, ok=False, problem=connection_problem(exc))
