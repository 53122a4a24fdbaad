"""分发 — the written files sent from the workers to every public web host, each host told the
changes after the last one it acknowledged, so that one down for a while catches up alone.

Why push: the public hosts may stand in another network zone than the admin side, the workers
and PostgreSQL; they need nothing but nginx (its WebDAV PUT and DELETE, which place a file by
rename from a temporary one: deploy/nginx/portal-pages-receiver.conf) and never reach inward.
A change is acknowledged when the receiver answered it; the host's position (PublicHost.
acknowledged) only moves past changes it acknowledged, and FileChange rows are deleted once
every host is past them.
"""

import logging
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import quote

from django.db.models import Min
from django.utils import timezone

from . import rendering
from .models import FileChange, PublicHost, PublishedPage

logger = logging.getLogger(__name__)

#: Seconds a receiver has to answer one file.
TIMEOUT = 10
#: A change numbered after a missing number is held back this long: the missing one may belong
#: to a render not committed yet (numbers are taken in order, commits are not); after it, the
#: gap is a rolled-back render.
GAP_SECONDS = 60


class ReceiverError(Exception):
    """The receiver did not acknowledge a file (down, refused, or an unexpected answer)."""


def _send(host, file, deleted):
    url = host.receiver_url.rstrip("/") + "/" + quote(file)
    body = None
    if not deleted:
        try:
            body = (rendering.root() / file).read_bytes()
        except FileNotFoundError:
            deleted = True  # removed since; its deletion is what the host must have
    request = urllib.request.Request(url, data=body, method="DELETE" if deleted else "PUT")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            status = answer.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        raise ReceiverError(f"{url}: {exc}") from exc
    # 201/204: placed or deleted; 404 on DELETE: not there, which is what was asked.
    if status not in (200, 201, 204) and not (deleted and status == 404):
        raise ReceiverError(f"{url}: answered {status}")


def _send_all(host, files):
    try:
        for file, deleted in files:
            _send(host, file, deleted)
    except ReceiverError as exc:
        host.last_error = str(exc)
        host.save(update_fields=["last_error"])
        raise


def _acknowledge(host, position):
    host.acknowledged = position
    host.acknowledged_at = timezone.now()
    host.last_error = ""
    host.save(update_fields=["acknowledged", "acknowledged_at", "last_error"])


def send_everything(host):
    """A host that never acknowledged anything (new, or reset by the operator after its disk
    was replaced) receives every published file; it is then at the last change noted before
    the first file was read, so what changed meanwhile follows in the next round."""
    position = FileChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    files = PublishedPage.objects.order_by("pk").values_list("file", flat=True)
    _send_all(host, ((file, False) for file in files.iterator()))
    _acknowledge(host, position)
    return files.count()


def distribute_to(host, *, batch=5000):
    """Send host the changes after its acknowledged one, each file once in its latest state
    (a page written ten times is sent once); returns the number of files sent. Raises
    ReceiverError after recording it on the host: its position stays where it was."""
    if host.acknowledged_at is None:
        return send_everything(host)
    rows = (
        FileChange.objects.filter(pk__gt=host.acknowledged)
        .order_by("pk")
        .values_list("pk", "file", "deleted", "at")[:batch]
    )
    settled = timezone.now() - timedelta(seconds=GAP_SECONDS)
    changes, expected = [], host.acknowledged + 1
    for pk, file, deleted, at in rows:
        if pk != expected and at > settled:
            break  # the change before it may still commit
        changes.append((pk, file, deleted))
        expected = pk + 1
    if not changes:
        return 0
    latest = {}
    for _pk, file, deleted in changes:
        latest[file] = deleted  # the last change of a file says what it is now
    _send_all(host, latest.items())
    _acknowledge(host, changes[-1][0])
    return len(latest)


def distribute():
    """One round to every public host, then forget the changes all of them acknowledged;
    returns {host name: files sent, or the error}."""
    done = {}
    for host in PublicHost.objects.order_by("name"):
        try:
            done[host.name] = 0
            sent = distribute_to(host)
            while sent:
                done[host.name] += sent
                sent = distribute_to(host)
        except ReceiverError as exc:
            logger.warning("public host %s behind: %s", host.name, exc)
            done[host.name] = str(exc)
    if PublicHost.objects.exists():
        oldest = PublicHost.objects.aggregate(position=Min("acknowledged"))["position"]
        FileChange.objects.filter(pk__lte=oldest).delete()
    else:
        FileChange.objects.all().delete()  # one host serving the root itself: nobody to tell
    return done
