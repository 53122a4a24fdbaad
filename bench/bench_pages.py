"""Benchmark: a cached public article page against a static file of the same size, through
the same server (target: at least half the static rate), and the uncached page rate.

The server is gunicorn as deployed: deploy/gunicorn.conf.py (gthread workers, access log on)
and the production settings (PORTAL_PRODUCTION=1: security headers, CSP, HTTPS only — the
requests say X-Forwarded-Proto: https as nginx does; hashed static files served by WhiteNoise;
the cache of REDIS_URL when set). The load comes from wrk in a second process on loopback
(one thread, 8 connections, 10 s per figure, after a warm-up). The static file
is the article page's own bytes saved under STATIC_ROOT, so both answers are the same size.
The uncached figure comes from the same server restarted with the page cache's store off
(bench/uncached_settings.py), so every request renders the page from the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/bench_pages.py
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Production-like: no test shortcuts in this process or in the server it starts.
os.environ.pop("PORTAL_TESTING", None)
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from columns.models import Site  # noqa: E402
from publishing.models import ArticleKind  # noqa: E402
from publishing.selectors import published_articles  # noqa: E402

WORKERS = 2
#: What nginx tells the production server about the request it forwards.
FORWARDED = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
CONNECTIONS = 8
DURATION = "10s"
TARGET_RATIO = 0.5
#: The uncached figure's server: page cache store off, every request rendered.
UNCACHED_SETTINGS = "bench.uncached_settings"


def ensure_data():
    """The demo portal, loaded once into the benchmark database and reused afterwards."""
    if not Site.objects.filter(site_code="5201020001").exists():
        call_command("load_demo", stdout=open(os.devnull, "w"))
    site = Site.objects.get(site_code="5201020001")
    article = published_articles(site).filter(kind=ArticleKind.POLICY).first()
    return article.get_absolute_url()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=FORWARDED)
            with urllib.request.urlopen(request, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


def wrk(url, script=None):
    """Requests per second wrk measured, and its count of non-2xx answers."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency"]
    for name, value in FORWARDED.items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
            command += ["-s", lua.name]
    try:
        output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(lua.name)
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


def server_page_cache(env):
    """The page cache backend the server runs with (its settings, not this process's)."""
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['pages']['BACKEND'].rsplit('.', 1)[-1])"
    )
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def restarted(server, env):
    """The server stopped and started again with env (WhiteNoise indexes STATIC_ROOT and
    settings are read only when a worker starts)."""
    server.terminate()
    server.wait(timeout=30)
    return subprocess.Popen(server.args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    article_path = ensure_data()
    call_command("collectstatic", interactive=False, verbosity=0)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORTAL_PRODUCTION": "1",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(WORKERS),
        "LOG_LEVEL": "ERROR",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "portal.wsgi",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    static_dir = Path(settings.STATIC_ROOT) / "bench"
    try:
        page = wait_for(origin + article_path)
        # The static twin of the page: same bytes, served by WhiteNoise from STATIC_ROOT.
        # WhiteNoise indexes STATIC_ROOT when a worker starts, so the server is restarted.
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "article.html").write_bytes(page)
        server = restarted(server, env)
        static_url = f"{origin}{settings.STATIC_URL}bench/article.html"
        static_body = wait_for(static_url)
        assert len(static_body) == len(page), (len(static_body), len(page))
        for _ in range(20):  # warm every worker's connection and the page cache
            wait_for(origin + article_path)
        wrk(static_url)  # warm-up run, not counted
        static_rate, static_errors = wrk(static_url)
        cached_rate, cached_errors = wrk(origin + article_path)
        # The same server with its page cache's store off (bench/uncached_settings.py).
        uncached_env = {**env, "DJANGO_SETTINGS_MODULE": UNCACHED_SETTINGS}
        server = restarted(server, uncached_env)
        wait_for(origin + article_path)
        uncached_rate, uncached_errors = wrk(origin + article_path)
        uncached_cache = server_page_cache(uncached_env)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_dir, ignore_errors=True)
    ratio = cached_rate / static_rate
    setup = (
        f"gunicorn as deployed ({WORKERS} workers x 4 threads, production settings), "
        f"wrk -t1 -c{CONNECTIONS} -d{DURATION} on loopback, "
        f"{len(page)} bytes, page cache {server_page_cache(env)}, "
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    met = ratio >= TARGET_RATIO and not (static_errors or cached_errors)
    results = [
        {
            "name": "pages: cached article / static file throughput",
            "value": round(ratio, 2),
            "unit": "ratio",
            "target": f">= {TARGET_RATIO}",
            "met": met,
            "detail": f"cached {cached_rate:.0f} req/s vs static {static_rate:.0f} req/s; {setup}",
        },
        {
            "name": "pages: cached article throughput",
            "value": round(cached_rate),
            "unit": "req/s",
            "target": f">= {TARGET_RATIO} x static ({TARGET_RATIO * static_rate:.0f})",
            "met": met,
            "detail": f"{cached_errors} non-2xx answers; {setup}",
        },
        {
            "name": "pages: uncached article throughput",
            "value": round(uncached_rate),
            "unit": "req/s",
            "target": "reported (no target in the SPEC)",
            "met": uncached_errors == 0,
            "detail": f"every request rendered from the database: the same server restarted with "
            f"the page cache store {uncached_cache} ({UNCACHED_SETTINGS}; a distinct query "
            f"string is no miss, the cache answers parameters a page does not read); "
            f"{uncached_errors} non-2xx answers; {setup}",
        },
    ]
    print(json.dumps({"results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
