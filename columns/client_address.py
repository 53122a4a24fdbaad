"""访问者地址 — the one place the client's network address is derived from a request.

Every rate limit, the login lock-out (django-axes) and the operation log read it here. Behind
nginx, REMOTE_ADDR is the proxy, so the client is taken from X-Forwarded-For (or X-Real-IP),
but only when the request came from a proxy listed in settings.TRUSTED_PROXIES: anyone else
could write any address there. In a chain of proxies the client is the right-most address
that is not itself a trusted proxy; the addresses to its left were written by the client.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _parse(value):
    """The address in value (IPv4-mapped IPv6 as IPv4), or None when it is not one."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address):
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request):
    """The address of the client that sent request, as a string; None when there is none."""
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    if remote is None or not _is_trusted(remote):
        return str(remote) if remote is not None else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = forwarded.split(",") if forwarded else [request.META.get("HTTP_X_REAL_IP", "")]
    address = remote
    for hop in reversed(hops):
        hop = _parse(hop)
        if hop is None:
            # Not written by a trusted proxy (they write addresses): the last one we trust is
            # the best we know.
            break
        address = hop
        if not _is_trusted(hop):
            break
    return str(address)
