"""Benchmark: a published page (staticsite) through nginx ÷ a static file of the same size
through the same nginx (target: at least 0.9), both measured in one run with wrk.

nginx runs deploy/nginx/portal-public.conf on loopback (tests/staticsite/front.py: its TLS
server speaking plain HTTP, no upstream needed: nothing here reaches the application). The
published page is an article page of the demo portal written by staticsite.services.
publish_page into the host's root and requested at its own address (the map, the rewrite to the
file and the security headers included); the static file is the same bytes under /static/ (the
collectstatic location, with its own headers). wrk: one thread, 8 connections, after a warm-up;
then eight rounds of 3 s each way, alternating which goes first, with nginx on one CPU and wrk
on the other (a shared machine's neighbours move single runs by a third); the ratio is the
median of the rounds' ratios, the detail gives their range and the bytes each answer carried.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/bench_static.py
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.pop("PORTAL_TESTING", None)
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from columns.models import Site  # noqa: E402
from publishing.selectors import published_articles  # noqa: E402
from staticsite import rendering, services  # noqa: E402
from tests.staticsite.front import PublicHostOnLoopback  # noqa: E402

TARGET_RATIO = 0.9
CONNECTIONS = 8
DURATION = "3s"
ROUNDS = 8
STATIC_NAME = "bench-static-page.html"


def pin(pid, cpu):
    """The process and its children (nginx's workers) run on that CPU only."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for each in [pid, *map(int, children.split())]:
        subprocess.run(["taskset", "-pc", str(cpu), str(each)], capture_output=True, check=True)


def wrk(url, host):
    """Requests per second, and the count of non-2xx answers."""
    command = [
        "taskset",
        "-c",
        "1",
        "wrk",
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}",
        "-H",
        f"Host: {host}",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


def main():
    # The pages name hashed static files (the manifest storage), as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Site.objects.filter(site_code="5201020001").exists():
        call_command("load_demo", stdout=open(os.devnull, "w"))
    site = Site.objects.get(site_code="5201020001")
    host_name = site.primary_host
    article = published_articles(site).order_by("pk").first()
    path = article.get_absolute_url()
    front = PublicHostOnLoopback(upstream_port=9, name="bench")  # no application: port 9
    settings.STATIC_PAGES_ROOT = front.pages
    services.publish_page(site_id=site.pk, host=host_name, path=path)
    body = (front.pages / rendering.file_for(host_name, path)).read_bytes()
    static_dir = Path(settings.STATIC_ROOT)
    static_dir.mkdir(parents=True, exist_ok=True)
    static_file = static_dir / STATIC_NAME
    static_file.write_bytes(body)
    static_file.chmod(0o644)
    front.start()
    pin(front.process.pid, 0)
    rounds = []  # [((page rate, non-2xx), (file rate, non-2xx))]
    try:
        base = f"http://{front.address}"
        urls = (base + path, f"{base}/static/{STATIC_NAME}")
        wrk(urls[0], host_name)  # warm-up
        for round_number in range(ROUNDS):
            order = urls if round_number % 2 == 0 else urls[::-1]
            measured = {url: wrk(url, host_name) for url in order}
            rounds.append((measured[urls[0]], measured[urls[1]]))
    finally:
        front.stop()
        static_file.unlink(missing_ok=True)
        shutil.rmtree(front.directory, ignore_errors=True)
    ratios = [page[0] / static[0] for page, static in rounds]
    ratio = statistics.median(ratios)
    page_rate = statistics.median(page[0] for page, _ in rounds)
    file_rate = statistics.median(static[0] for _, static in rounds)
    page_errors = sum(page[1] for page, _ in rounds)
    file_errors = sum(static[1] for _, static in rounds)
    results = [
        {
            "name": "published page through nginx / static file through nginx",
            "value": round(ratio, 2),
            "unit": "ratio",
            "target": f">= {TARGET_RATIO}",
            "met": ratio >= TARGET_RATIO,
            "ratio": round(ratio / TARGET_RATIO, 2),
            "detail": (
                f"median of {ROUNDS} rounds (range {min(ratios):.2f}–{max(ratios):.2f}): "
                f"{page_rate:.0f} vs {file_rate:.0f} req/s, {len(body)} bytes each, "
                f"wrk -c{CONNECTIONS} {DURATION} a round; non-2xx {page_errors}/{file_errors}"
            ),
        },
        {
            "name": "published page through nginx",
            "value": round(page_rate),
            "unit": "req/s",
            "target": "reported",
            "met": True,
            "detail": f"median of the rounds; {path} at {host_name}, nginx 1 worker on one CPU, "
            "application not running",
        },
    ]
    print(json.dumps({"results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
