"""对外请求 — the platform's requests to addresses taken from content (links in articles and on
crawled pages): only to public internet addresses, never into the platform's own network.

Each hop resolves the host, refuses it when any of its addresses is not public (loopback,
private, link-local and the cloud metadata address 169.254.169.254, multicast, reserved),
then connects to exactly the address it checked, so a second DNS answer cannot send the
request elsewhere; a redirect is a new hop, checked the same way.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

USER_AGENT = "PortalLinkCheck/1.0 (+government website inspection)"
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


class RefusedAddress(Exception):
    """The link leads to an address the platform does not request. Its message never says
    what answers there: the request was not made."""


class TooManyRedirects(Exception):
    pass


@dataclass
class Answer:
    status: int
    url: str
    content_type: str
    charset: str | None
    body: bytes


def _allowed_networks():
    # An intranet mirror or a test server the operator has vouched for (settings).
    return [ipaddress.ip_network(n) for n in settings.OUTBOUND_ALLOWED_NETWORKS]


def is_public(address):
    address = ipaddress.ip_address(address)
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    if any(address in network for network in _allowed_networks()):
        return True
    return address.is_global and not address.is_multicast


def public_address(host, port):
    """The address to connect to for host: every address it resolves to must be public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OSError(f"cannot resolve {host}") from error
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(is_public(a) for a in addresses):
        raise RefusedAddress(host)
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        raw = socket.create_connection((self.address, self.port), self.timeout)
        # The certificate is checked against the host name, not the pinned address.
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def fetch(url, *, method="GET", timeout, read_bytes=0):
    """The final answer for url after redirects; raises RefusedAddress, TooManyRedirects,
    OSError (no connection, timeout) or http.client.HTTPException (a garbled answer)."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RefusedAddress(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = public_address(parts.hostname, port)
        connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        connection = connection_class(parts.hostname, port, address=address, timeout=timeout)
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request(method, target, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECTS and location:
                url = urljoin(url, location)
                continue
            body = response.read(read_bytes) if read_bytes else b""
            return Answer(
                status=response.status,
                url=url,
                content_type=response.getheader("Content-Type", ""),
                charset=response.msg.get_content_charset(),
                body=body,
            )
        finally:
            connection.close()
    raise TooManyRedirects(url)
