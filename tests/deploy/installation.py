"""A loopback installation built from deploy/ as the README installs it (issue 11), for the deploy
checks and the production-parity browser journeys (issue 15).

The env file comes from deploy/portal.env.example; every unit's ExecStart runs with its
WorkingDirectory and EnvironmentFile (as the current user, not `portal`; paths under
/srv/portal/app point at this checkout): a public and an admin web process, a worker and the
beat, and nginx with deploy/nginx/*.conf (listen ports, certificate and upstream rewritten to
loopback). 127.0.0.1 stands for the government network the admin host admits; a client bound to
127.0.0.2 comes from the internet. Each tool missing here skips its test visibly; .ci/run
installs them.
"""

import http.client
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from portal.celery import app
from tests.soak.servers import free_port, portal_database_url, stop

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = {path.stem: path for path in sorted((DEPLOY / "systemd").glob("*.service"))}
INSTALL_DIR = "/srv/portal/app"
PUBLIC_HOST = "www.example.gov.cn"
ADMIN_HOST = "admin.example.gov.cn"
INTERNET_ADDRESS = "127.0.0.2"


def tool(name):
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI_REQUIRE_DEPLOY_TOOLS"):
            pytest.fail(f"CI requires {name}; .ci/run installs it")
        pytest.skip(f"no {name} on this machine: deploy check skipped")
    return path


def installed(text):
    """A deploy file as it reads once the checkout is at /srv/portal/app."""
    return text.replace(INSTALL_DIR, str(ROOT))


def unit_service(name):
    """The [Service] section of a unit: {key: value}."""
    service, section = {}, None
    for line in installed(UNITS[name].read_text()).splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "Service" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            service[key] = value
    return service


def read_env_file(path):
    """KEY=VALUE lines, as systemd's EnvironmentFile= reads them."""
    env = {}
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip()
    return env


def loopback_ports(count):
    """count free loopback ports; DEPLOY_TEST_PORTS=first-last keeps them inside a range given
    to this test on a shared machine."""
    span = os.environ.get("DEPLOY_TEST_PORTS")
    if not span:
        return [free_port() for _ in range(count)]
    first, last = map(int, span.split("-"))
    ports = []
    for port in range(first, last + 1):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    pytest.fail(f"fewer than {count} free ports in DEPLOY_TEST_PORTS={span}")


def make_certificate(directory):
    """A self-signed certificate for the demo hosts: (fullchain, privkey)."""
    openssl = tool("openssl")
    key, cert = directory / "privkey.pem", directory / "fullchain.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", f"/CN={PUBLIC_HOST}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the process died while starting"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    pytest.fail(f"nothing listened on {port} within {seconds} s")


def nginx_site(
    conf, *, http_port, https_port, upstream_port, certificate, media, static, pages=None
):
    """deploy/nginx/<conf> with loopback ports, a test certificate, test media, static files
    and pages, and its logs in nginx-logs/ beside the media folder (made here)."""
    text = (
        (DEPLOY / "nginx" / conf).read_text().replace(f"{INSTALL_DIR}/staticfiles/", f"{static}/")
    )
    text = nginx_logs_beside(installed(text), media)
    if pages is not None:
        text = text.replace("/srv/portal/pages", str(pages))
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
    text = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", text)
    text = re.sub(r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl", text)
    text = text.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
    text = text.replace("/etc/ssl/portal/fullchain.pem", str(certificate[0]))
    text = text.replace("/etc/ssl/portal/privkey.pem", str(certificate[1]))
    text = text.replace(
        "deny all;", "allow 127.0.0.1;  # the test's government network\n    deny all;"
    )
    return text.replace("/srv/portal/media/", f"{media}/")


def nginx_logs_beside(text, media):
    """An nginx file's /var/log/nginx/ moved to nginx-logs/ beside the media folder."""
    logs = Path(media).parent / "nginx-logs"
    (logs / "portal-pages").mkdir(parents=True, exist_ok=True)
    return text.replace("/var/log/nginx/", f"{logs}/")


def request(port, path, host, *, tls=True, headers=None, source=None):
    """GET path from 127.0.0.1:port with Host: host; source binds the client's own address."""
    address = (source, 0) if source else None
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        conn = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=20, context=context, source_address=address
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=address)
    try:
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return (
            response.status,
            dict(response.getheaders()),
            response.read().decode(errors="replace"),
        )
    finally:
        conn.close()


class Installation:
    """The processes of a loopback installation; everything is stopped by close()."""

    def __init__(self, directory):
        self.directory = directory
        self.processes = []
        self.media = directory / "media"
        self.pages = directory / "pages"
        # Its own collectstatic output: nothing else writing the checkout's staticfiles/ (make
        # run, another suite in the same checkout) can pull a file from under it.
        self.static = directory / "static"
        self.env_file = directory / "portal.env"
        values = read_env_file(DEPLOY / "portal.env.example")
        values.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=portal_database_url(),
            REDIS_URL=settings.REDIS_URL,
            CACHE_REDIS_URL=settings.CACHE_REDIS_URL,
            MEDIA_ROOT=str(self.media),
            STATIC_ROOT=str(self.static),
            STATIC_PAGES_ROOT=str(self.pages),
            PORTAL_VAR_DIR=str(directory / "var"),
            BACKUP_DIR=str(directory / "backups"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            GUNICORN_WORKERS="2",
        )
        self.env_file.write_text("".join(f"{key}={value}\n" for key, value in values.items()))

    def start(self, unit, log_name=None, **env):
        """Run unit's ExecStart the way systemd would; returns the process."""
        service = unit_service(unit)
        assert service["EnvironmentFile"] == "/etc/portal/portal.env"
        command = shlex.split(service["ExecStart"].replace("%H", socket.gethostname()))
        environment = {"PATH": os.environ["PATH"], **read_env_file(self.env_file), **env}
        log = open(self.directory / f"{log_name or unit}.log", "w")
        process = subprocess.Popen(
            command,
            cwd=service["WorkingDirectory"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def bring_up(self):
        """Static files, both web processes, the worker, the beat and nginx in front; returns
        once each answers (the worker to a Celery ping)."""
        nginx = tool("nginx")
        certificate = make_certificate(self.directory)
        collected = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env={"PATH": os.environ["PATH"], **read_env_file(self.env_file)},
            capture_output=True,
            text=True,
        )
        assert collected.returncode == 0, collected.stderr
        names = ("public", "admin", "http", "https", "admin_http", "admin_https")
        self.ports = dict(zip(names, loopback_ports(len(names)), strict=True))
        self.public = self.start(
            "portal-web",
            "web-public",
            PORTAL_ROLE="public",
            GUNICORN_BIND=f"127.0.0.1:{self.ports['public']}",
        )
        self.admin = self.start(
            "portal-web",
            "web-admin",
            PORTAL_ROLE="admin",
            GUNICORN_BIND=f"127.0.0.1:{self.ports['admin']}",
        )
        self.worker = self.start("portal-worker")
        self.beat = self.start("portal-beat")
        self.media.mkdir(exist_ok=True)
        self.pages.mkdir(exist_ok=True)
        sites = [
            nginx_site(
                "portal-public.conf",
                http_port=self.ports["http"],
                https_port=self.ports["https"],
                upstream_port=self.ports["public"],
                certificate=certificate,
                media=self.media,
                static=self.static,
                pages=self.pages,
            ),
            nginx_site(
                "portal-admin.conf",
                http_port=self.ports["admin_http"],
                https_port=self.ports["admin_https"],
                upstream_port=self.ports["admin"],
                certificate=certificate,
                media=self.media,
                static=self.static,
            ),
        ]
        directory = self.directory
        (directory / "sites.conf").write_text("\n".join(sites))
        (directory / "nginx.conf").write_text(
            f"pid {directory}/nginx.pid;\nerror_log {directory}/nginx-error.log;\n"
            "events {}\n"
            f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
            f" client_body_temp_path {directory}/body;\n proxy_temp_path {directory}/proxy;\n"
            f" include {directory}/sites.conf;\n}}\n"
        )
        checked = subprocess.run(
            [nginx, "-t", "-p", str(directory), "-c", str(directory / "nginx.conf")],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stderr
        self.front = subprocess.Popen(
            [nginx, "-p", str(directory), "-c", str(directory / "nginx.conf")]
            + ["-g", "daemon off;"],
            start_new_session=True,
        )
        self.processes.append(self.front)
        for name, process in (
            ("public", self.public),
            ("admin", self.admin),
            ("https", self.front),
        ):
            wait_for_port(self.ports[name], process)
        self.ping = []
        deadline = time.monotonic() + 60
        while not self.ping and time.monotonic() < deadline:
            assert self.worker.poll() is None, self.log("portal-worker")
            self.ping = app.control.ping(timeout=1)

    def log(self, name):
        return (self.directory / f"{name}.log").read_text()

    def close(self):
        for process in reversed(self.processes):
            stop(process)
