"""访问量 of the published pages the public hosts' nginx answers from files, which the application
never sees: each host logs one JSON line per such answer (deploy/nginx/portal-public.conf,
log_format portal_pages), its receiver lets the workers read that log (portal-pages-receiver.
conf, /visits-log/), and import_visits adds the lines appended since the last import to
monitoring's visit counters, by monitoring's own rule of what a visit is (visits.is_visit).

A host's position is the offset read up to and the sha256 of its log's first line: the log is
read over HTTP, where no inode shows, and each line carries nginx's $request_id (random, one
per request), so the log begun by a rotation has another first line. When the first line
changed, the rest of the old log is read from access.log.1 (deploy/logrotate/portal-pages keeps
it uncompressed) if its first line is the remembered one, then the new log from its start. The
position moves in one transaction with the host's row locked, so two imports at once, or one
run twice, read each line once; the counts reach the cache counters when it commits, so a crash
in between loses that round's visits rather than counting them twice (as a web process killed
outright loses its last second of counting).
"""

import hashlib
import json
import logging
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.utils import timezone

from monitoring.visits import count_visits, is_visit

from .models import PublicHost

logger = logging.getLogger(__name__)

LOG = "visits-log/access.log"
ROTATED = "visits-log/access.log.1"
#: Bytes read per request.
CHUNK = 4 * 1024 * 1024
#: A first line is found within this many bytes (nginx refuses request lines over 8 KB).
HEAD_BYTES = 16 * 1024
#: Seconds a receiver has to answer one read.
TIMEOUT = 10


class LogUnreadable(Exception):
    """The receiver did not give the log (down, refused, or an unexpected answer)."""


def _read(host, name, start, end):
    """Bytes start..end (inclusive) of the log `name` on host; b"" past its end or when the
    host has no such log yet."""
    url = host.receiver_url.rstrip("/") + "/" + name
    request = urllib.request.Request(url, headers={"Range": f"bytes={start}-{end}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.read()
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 416):
            return b""
        raise LogUnreadable(f"{url}: answered {exc.code}") from exc
    except OSError as exc:
        raise LogUnreadable(f"{url}: {exc}") from exc


def _first_line_digest(host, name):
    """sha256 of the log's first complete line, or "" while it has none."""
    line, newline, _rest = _read(host, name, 0, HEAD_BYTES - 1).partition(b"\n")
    return hashlib.sha256(line).hexdigest() if newline else ""


def _count_line(line, counts):
    try:
        entry = json.loads(line.decode("utf-8", errors="replace"))
        path = unquote(urlsplit(entry["uri"]).path, errors="replace")
        if is_visit(
            method=entry["method"],
            path=path,
            status=int(entry["status"]),
            content_type=entry["type"],
        ):
            day = timezone.localdate(datetime.fromisoformat(entry["time"]))
            counts[(day, entry["host"], path)] += 1
    except (ValueError, KeyError, TypeError):
        logger.warning("visits log: a line not in the portal_pages format: %r", line[:200])


def _count_from(host, name, offset, counts):
    """Count the complete lines of the log from offset on; returns the offset after them."""
    while True:
        chunk = _read(host, name, offset, offset + CHUNK - 1)
        complete = chunk[: chunk.rfind(b"\n") + 1]
        for line in complete.splitlines():
            _count_line(line, counts)
        offset += len(complete)
        if len(chunk) < CHUNK or not complete:
            return offset


def import_host(host_id):
    """Count what host's log gained since the last import; returns the visits counted."""
    counts = Counter()
    with transaction.atomic():
        host = PublicHost.objects.select_for_update().get(pk=host_id)
        head = _first_line_digest(host, LOG)
        offset = host.visits_log_offset
        if head != host.visits_log_head:
            if host.visits_log_head and _first_line_digest(host, ROTATED) == host.visits_log_head:
                _count_from(host, ROTATED, offset, counts)
            offset = 0
        if head:
            offset = _count_from(host, LOG, offset, counts)
        host.visits_log_head, host.visits_log_offset = head, offset
        host.save(update_fields=["visits_log_head", "visits_log_offset"])
        transaction.on_commit(lambda: count_visits(counts))
    return sum(counts.values())


def import_visits():
    """One round over every public host's log; returns {host name: visits counted, or the
    error}. A host that does not answer keeps its position and is read from there next time."""
    done = {}
    for host_id, name in PublicHost.objects.order_by("name").values_list("pk", "name"):
        try:
            done[name] = import_host(host_id)
        except LogUnreadable as exc:
            logger.warning("visits log of public host %s not read: %s", name, exc)
            done[name] = str(exc)
    return done
