"""Real servers for the soak and fault tests: gunicorn, and a Redis or PostgreSQL of the test's
own that it may kill or restart without touching the machine's shared ones."""

import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_database_url():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def portal_environment(database_url, redis_url=""):
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="portal.settings",
        PORTAL_VAR_DIR=os.environ.get("PORTAL_VAR_DIR", str(ROOT / "var")),
    )


def start_gunicorn(log, redis_url="", database_url=None):
    """gunicorn with two workers on a free loopback port; returns (process, base URL)."""
    port = free_port()
    # PORTAL_TESTING stays: static files come from the finders, so no collectstatic is needed.
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=portal_environment(database_url or portal_database_url(), redis_url),
        start_new_session=True,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return server, base
        except urllib.error.HTTPError:
            return server, base  # answering, even if something it checks is down
        except OSError:
            assert server.poll() is None, "gunicorn died while starting"
            time.sleep(0.3)
    stop(server)
    pytest.fail("gunicorn did not answer within 60 s")


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass


def status_of(url):
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return "no answer"


MESSAGE_FORM = "/interaction/messages/new/"


def submit_message(port, index, subject):
    """A citizen of its own (source address 127.0.x.y, own CSRF cookie and session) fetches
    the mailbox form and posts it, as a browser does; returns the POST's status, or the
    form page's when that already failed. Needs CAPTCHA_TEST_MODE in the server's env."""
    source = (f"127.0.{1 + index // 250}.{1 + index % 250}", 0)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=source)
    try:
        connection.request("GET", MESSAGE_FORM, headers={"Host": "localhost"})
        page = connection.getresponse()
        html = page.read().decode()
        if page.status != 200:
            return page.status
        cookies = "; ".join(
            value.split(";", 1)[0]
            for name, value in page.getheaders()
            if name.lower() == "set-cookie"
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "kind": "consultation",
                "channel": "unified",
                "subject": subject,
                "content": "并发提交：请问办理居住证需要哪些材料？",
                "name": "测试",
                "phone": f"139{index:08d}",
                "captcha_0": "soak",
                "captcha_1": "PASSED",
            }
        )
        connection.request(
            "POST",
            MESSAGE_FORM,
            body=body,
            headers={
                "Host": "localhost",
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        answer = connection.getresponse()
        answer.read()
        return answer.status
    except OSError as exc:
        return f"no answer: {exc}"
    finally:
        connection.close()


class PrivateRedis:
    """A redis-server on a free port, to be killed by the test."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(directory)],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary directory, a free port),
    so that it can really be stopped and started while gunicorn is using it."""

    available = POSTGRES_BIN is not None and (POSTGRES_BIN / "initdb").exists()

    def __init__(self, directory):
        self.port = free_port()
        self.data = Path(directory) / "pgdata"
        self.socket_dir = Path(directory) / "pgsocket"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/portal"
        self.socket_dir.mkdir()
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            owner = pwd.getpwnam("postgres")
            for path in (directory, self.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", self.port, "portal")

    def _run(self, program, *args):
        command = [str(POSTGRES_BIN / program), *map(str, args)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self):
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", self.data / "log", "-w", "start")

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def close(self):
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def manage(self, *args):
        """Run a manage.py command against this cluster."""
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=portal_environment(self.url),
            check=True,
            timeout=600,
            capture_output=True,
        )


def has_redis_server():
    return shutil.which("redis-server") is not None
