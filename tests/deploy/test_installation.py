"""deploy/ as an operator installs it (README "Production deployment", issue 11).

The systemd units must pass `systemd-analyze verify` without a single warning. Then the
installation is brought up on loopback the way the README says, from the files themselves:
the env file from deploy/portal.env.example, every unit's ExecStart run with its
WorkingDirectory and EnvironmentFile (as the current user, not `portal`; paths under
/srv/portal/app point at this checkout), a public and an admin web process, a worker and the
beat, and nginx with deploy/nginx/*.conf (listen ports, certificate and upstream rewritten to
loopback). Each tool missing here skips its test visibly; .ci/run installs them.
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
from django.db import connection

from columns.models import SiteHost
from portal.celery import app
from tests.soak.servers import free_port, portal_database_url, stop

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = {path.stem: path for path in sorted((DEPLOY / "systemd").glob("*.service"))}
INSTALL_DIR = "/srv/portal/app"
PUBLIC_HOST = "www.example.gov.cn"
ADMIN_HOST = "admin.example.gov.cn"


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


def test_systemd_units_verify_without_a_warning(tmp_path):
    analyze = tool("systemd-analyze")
    for path in UNITS.values():
        (tmp_path / path.name).write_text(installed(path.read_text()))
    done = subprocess.run(
        [analyze, "verify", *sorted(map(str, tmp_path.glob("*.service")))],
        capture_output=True,
        text=True,
    )
    assert sorted(UNITS) == ["portal-beat", "portal-web", "portal-worker"]
    assert (done.returncode, done.stderr) == (0, "")


def test_beat_runs_in_exactly_one_unit_and_only_on_the_marked_host():
    beats = [name for name in UNITS if " beat" in unit_service(name)["ExecStart"]]
    assert beats == ["portal-beat"]
    assert "ConditionPathExists=/etc/portal/beat-host" in UNITS["portal-beat"].read_text()


class Installation:
    """The processes of a loopback installation; everything is stopped by close()."""

    def __init__(self, directory):
        self.directory = directory
        self.processes = []
        self.env_file = directory / "portal.env"
        values = read_env_file(DEPLOY / "portal.env.example")
        values.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=portal_database_url(),
            REDIS_URL=settings.REDIS_URL,
            MEDIA_ROOT=str(directory / "media"),
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

    def log(self, name):
        return (self.directory / f"{name}.log").read_text()

    def close(self):
        for process in reversed(self.processes):
            stop(process)


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the process died while starting"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    pytest.fail(f"nothing listened on {port} within {seconds} s")


def nginx_site(conf, *, http_port, https_port, upstream_port, certificate, media):
    """deploy/nginx/<conf> with loopback ports, a test certificate and test media."""
    text = installed((DEPLOY / "nginx" / conf).read_text())
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
    text = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", text)
    text = re.sub(r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl", text)
    text = text.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
    text = text.replace("/etc/ssl/portal/fullchain.pem", str(certificate[0]))
    text = text.replace("/etc/ssl/portal/privkey.pem", str(certificate[1]))
    return text.replace("/srv/portal/media/", f"{media}/")


def request(port, path, host, *, tls=True, headers=None):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=20, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
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


@pytest.fixture
def certificate(tmp_path):
    openssl = tool("openssl")
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", f"/CN={PUBLIC_HOST}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="the installation runs on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_the_installation_comes_up_from_deploy_files(demo, tmp_path, certificate):
    nginx = tool("nginx")
    assert SiteHost.objects.get(hostname=PUBLIC_HOST).site == demo
    install = Installation(tmp_path)
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **read_env_file(install.env_file)},
        check=True,
        capture_output=True,
    )
    ports = {name: free_port() for name in ("public", "admin", "http", "https", "admin_https")}
    try:
        public = install.start(
            "portal-web",
            "web-public",
            PORTAL_ROLE="public",
            GUNICORN_BIND=f"127.0.0.1:{ports['public']}",
        )
        admin = install.start(
            "portal-web",
            "web-admin",
            PORTAL_ROLE="admin",
            GUNICORN_BIND=f"127.0.0.1:{ports['admin']}",
        )
        worker = install.start("portal-worker")
        beat = install.start("portal-beat")
        media = tmp_path / "media"
        media.mkdir(exist_ok=True)
        sites = [
            nginx_site(
                "portal-public.conf",
                http_port=ports["http"],
                https_port=ports["https"],
                upstream_port=ports["public"],
                certificate=certificate,
                media=media,
            ),
            nginx_site(
                "portal-admin.conf",
                http_port=free_port(),
                https_port=ports["admin_https"],
                upstream_port=ports["admin"],
                certificate=certificate,
                media=media,
            ),
        ]
        (tmp_path / "sites.conf").write_text("\n".join(sites))
        (tmp_path / "nginx.conf").write_text(
            f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/nginx-error.log;\n"
            "events {}\n"
            f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
            f" client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
            f" include {tmp_path}/sites.conf;\n}}\n"
        )
        checked = subprocess.run(
            [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stderr
        front = subprocess.Popen(
            [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
            start_new_session=True,
        )
        install.processes.append(front)
        for name, process in (("public", public), ("admin", admin), ("https", front)):
            wait_for_port(ports[name], process)
        ping = []
        deadline = time.monotonic() + 60
        while not ping and time.monotonic() < deadline:
            assert worker.poll() is None, install.log("portal-worker")
            ping = app.control.ping(timeout=1)

        home = request(ports["https"], "/", PUBLIC_HOST)
        health = request(ports["http"], "/healthz", PUBLIC_HOST, tls=False)
        to_https = request(ports["http"], "/", PUBLIC_HOST, tls=False)
        static = request(ports["https"], "/static/portal/site.css", PUBLIC_HOST)
        admin_by_nginx = request(ports["https"], "/admin/", PUBLIC_HOST)
        admin_by_public_web = request(
            ports["public"],
            "/admin/login/",
            PUBLIC_HOST,
            tls=False,
            headers={"X-Forwarded-Proto": "https"},
        )
        admin_login = request(
            ports["admin"],
            "/admin/login/",
            ADMIN_HOST,
            tls=False,
            headers={"X-Forwarded-Proto": "https"},
        )
        admin_from_internet = request(ports["admin_https"], "/admin/login/", ADMIN_HOST)
        beat_alive = beat.poll() is None
    finally:
        install.close()

    assert home[0] == 200 and demo.name in home[2]
    assert home[1]["Strict-Transport-Security"].startswith("max-age=")
    assert (
        "unsafe-inline"
        not in home[1]["Content-Security-Policy"].split("script-src")[-1].split(";")[0]
    )
    assert home[1]["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert health[0] == 200, health[2]
    assert (to_https[0], to_https[1]["Location"]) == (301, f"https://{PUBLIC_HOST}/")
    assert static[0] == 200 and "immutable" in static[1]["Cache-Control"]
    assert admin_by_nginx[0] == 404, "the public nginx refuses /admin/"
    assert admin_by_public_web[0] == 404, "no admin URL exists on a public web process"
    assert admin_login[0] == 200 and 'name="password"' in admin_login[2]
    assert admin_from_internet[0] == 403, "the admin host admits only the government network"
    assert [name for reply in ping for name in reply] == [f"worker@{socket.gethostname()}"]
    assert beat_alive, install.log("portal-beat")
    assert "beat: Starting" in install.log("portal-beat")
