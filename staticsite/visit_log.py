"""访问量 of the published pages nginx answers from files, which the application never sees: nginx
logs one JSON line per such answer (deploy/nginx/portal-public.conf, log_format portal_pages),
and import_visits adds the lines appended since the last import to monitoring's visit counters,
by monitoring's own rule of what a visit is (visits.is_visit). Each public host's log is read
through its receiver (portal-pages-receiver.conf, /visits-log/); the log of nginx on the
application's own machine (a one-host installation, no public host registered) is read from its
file, STATIC_PAGES_LOCAL_ACCESS_LOG. Both are read by the same code, from the same kind of
position (models.VisitsLogPosition), only the bytes come from elsewhere.

A log's position is the offset read up to and the sha256 of its first line: a receiver's log is
read over HTTP, where no inode shows, and each line carries an id unique to its request (the
time in milliseconds, nginx's pid and connection serial), so the log begun by a rotation has
another first line. When the first line changed, the rest of the old log is read from
access.log.1 (deploy/logrotate/portal-pages keeps it uncompressed) if its first line is the
remembered one, then the new log from its start. The position moves in one transaction with its
row locked, so two imports at once, or one run twice, read each line once; the counts reach the
cache counters when it commits, so a crash in between loses that round's visits rather than
counting them twice (as a web process killed outright loses its last second of counting)."""

import hashlib
import json
import logging
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from monitoring.visits import count_visits, is_visit

from .models import PublicHost, VisitsLogPosition

logger = logging.getLogger(__name__)

#: Bytes read per request.
CHUNK = 4 * 1024 * 1024
#: A first line is found within this many bytes (nginx refuses request lines over 8 KB).
HEAD_BYTES = 16 * 1024
#: Seconds a receiver has to answer one read.
TIMEOUT = 10
#: The name the local log's result goes under in import_visits' answer.
LOCAL = "local"


class LogUnreadable(Exception):
    """The log could not be read (a receiver down, refused, or an unexpected answer; a file
    not readable by the workers' account)."""


class ReceiverLog:
    """A public host's log, read in HTTP ranges from its receiver's /visits-log/."""

    def __init__(self, receiver_url):
        self.url = receiver_url.rstrip("/") + "/visits-log/access.log"

    def read(self, start, end, *, rotated=False):
        """Bytes start..end (inclusive) of the log (of the one rotation left, rotated); b""
        past its end or when the host has no such log yet."""
        url = self.url + (".1" if rotated else "")
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


class LocalLog:
    """The log nginx on this machine writes (STATIC_PAGES_LOCAL_ACCESS_LOG), read from its file;
    rotated as on a public host, to the same name with .1 (deploy/logrotate/portal-pages)."""

    def __init__(self, path):
        self.path = Path(path)

    def read(self, start, end, *, rotated=False):
        """As ReceiverLog.read."""
        path = self.path.with_name(self.path.name + ".1") if rotated else self.path
        try:
            with path.open("rb") as log:
                log.seek(start)
                return log.read(end - start + 1)
        except FileNotFoundError:
            return b""
        except OSError as exc:
            raise LogUnreadable(f"{path}: {exc}") from exc


def _first_line_digest(log, *, rotated=False):
    """sha256 of the log's first complete line, or "" while it has none."""
    head = log.read(0, HEAD_BYTES - 1, rotated=rotated)
    line, newline, _rest = head.partition(b"\n")
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


def _count_from(log, offset, counts, *, rotated=False):
    """Count the complete lines of the log from offset on; returns the offset after them."""
    while True:
        chunk = log.read(offset, offset + CHUNK - 1, rotated=rotated)
        complete = chunk[: chunk.rfind(b"\n") + 1]
        for line in complete.splitlines():
            _count_line(line, counts)
        offset += len(complete)
        if len(chunk) < CHUNK or not complete:
            return offset


def import_log(log, *, public_host_id=None):
    """Count what log gained since the last import (public_host_id: whose log it is, None for
    the local log); returns the visits counted."""
    counts = Counter()
    with transaction.atomic():
        # The row is made on a log's first import; the unique constraint keeps it one.
        VisitsLogPosition.objects.get_or_create(public_host_id=public_host_id)
        position = VisitsLogPosition.objects.select_for_update().get(public_host_id=public_host_id)
        head = _first_line_digest(log)
        offset = position.offset
        if head != position.head:
            if position.head and _first_line_digest(log, rotated=True) == position.head:
                _count_from(log, offset, counts, rotated=True)
            offset = 0
        if head:
            offset = _count_from(log, offset, counts)
        position.head, position.offset = head, offset
        position.save(update_fields=["head", "offset"])
        transaction.on_commit(lambda: count_visits(counts))
    return sum(counts.values())


def import_visits():
    """One round over every public host's log and the local log (when set); returns {host
    name, or LOCAL: visits counted, or the error}. A log not read keeps its position and is
    read from there next time."""
    logs = [
        (name, ReceiverLog(url), host_id)
        for host_id, name, url in PublicHost.objects.order_by("name").values_list(
            "pk", "name", "receiver_url"
        )
    ]
    if settings.STATIC_PAGES_LOCAL_ACCESS_LOG:
        logs.append((LOCAL, LocalLog(settings.STATIC_PAGES_LOCAL_ACCESS_LOG), None))
    done = {}
    for name, log, host_id in logs:
        try:
            done[name] = import_log(log, public_host_id=host_id)
        except LogUnreadable as exc:
            logger.warning("visits log of %s not read: %s", name, exc)
            done[name] = str(exc)
    return done
