"""Public web hosts on loopback for the static pages' tests: nginx with deploy/nginx/portal-
public.conf and portal-pages-receiver.conf, each host with its own pages root, the application
at a given port; and a stand-in application that says it answered."""

import http.server
import os
import pwd
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings

from tests.deploy.installation import (
    DEPLOY,
    loopback_ports,
    nginx_logs_beside,
    nginx_site,
    tool,
    wait_for_port,
)
from tests.serving import serve_in_thread
from tests.soak.servers import stop

APPLICATION_MARK = b"answered by the application"


class PublicHostOnLoopback:
    """One public web host: the public server of portal-public.conf (its TLS server speaking
    plain HTTP on `port`: the locations are the file's) and the receiver of the pages."""

    def __init__(self, *, upstream_port, name="public"):
        self.directory = Path(tempfile.mkdtemp(prefix=f"portal-{name}-"))
        self.directory.chmod(0o755)  # nginx's workers run as another account
        self.pages = self.directory / "pages"
        incoming = self.directory / "pages-incoming"
        for folder in (self.pages, incoming):
            folder.mkdir()
            if os.geteuid() == 0:  # the receiver's workers (nobody) write here
                nobody = pwd.getpwnam("nobody")
                os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        http_port, self.port, self.receiver_port = loopback_ports(3)
        public = nginx_site(
            "portal-public.conf",
            http_port=http_port,
            https_port=self.port,
            upstream_port=upstream_port,
            certificate=("unused", "unused"),
            media=self.directory / "media",
            static=settings.STATIC_ROOT,
            pages=self.pages,
        )
        public = public.replace(f"{self.port} ssl http2;", f"{self.port};")
        public = re.sub(r"\n\s*ssl_[a-z_]+ [^;]*;", "", public)
        receiver = (DEPLOY / "nginx" / "portal-pages-receiver.conf").read_text()
        receiver = receiver.replace("10.0.0.31:8090", f"127.0.0.1:{self.receiver_port}")
        receiver = receiver.replace("10.0.0.0/24", "127.0.0.1")
        receiver = receiver.replace("/srv/portal/pages-incoming", str(incoming))
        receiver = receiver.replace("/srv/portal/pages", str(self.pages))
        receiver = nginx_logs_beside(receiver, self.directory / "media")
        #: The log of the published pages this host answered (portal_pages).
        self.visits_log = self.directory / "nginx-logs" / "portal-pages" / "access.log"
        self.receiver_url = f"http://127.0.0.1:{self.receiver_port}/"
        d = self.directory
        (d / "nginx.conf").write_text(
            f"pid {d}/nginx.pid;\nerror_log {d}/nginx-error.log;\nevents {{}}\n"
            # Every other answer is logged as Debian's nginx.conf logs it.
            f"http {{\n include /etc/nginx/mime.types;\n access_log {d}/access.log;\n"
            f" client_body_temp_path {d}/body;\n proxy_temp_path {d}/proxy;\n"
            f"{public}\n{receiver}\n}}\n"
        )
        self.process = None

    def start(self):
        nginx = tool("nginx")
        command = [nginx, "-p", str(self.directory), "-c", str(self.directory / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
        wait_for_port(self.port, self.process)
        wait_for_port(self.receiver_port, self.process)

    def rotate_logs(self):
        """What logrotate does: the log renamed to .1, nginx told to open a new one."""
        self.visits_log.rename(self.visits_log.with_name("access.log.1"))
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 10
        while not self.visits_log.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.visits_log.exists(), "nginx did not open a new log"

    def flush_logs(self):
        """nginx writes its buffered log lines (deploy: buffer=64k flush=5s) when told to
        reopen its logs, as it would after 5 s."""
        size = self.visits_log.stat().st_size if self.visits_log.exists() else 0
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self.visits_log.exists() and self.visits_log.stat().st_size > size:
                return
            time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            stop(self.process)
            self.process = None

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"


class _Application(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        body = APPLICATION_MARK + f" {self.command} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = _answer

    def log_message(self, *args):
        pass


class StandInApplication:
    """An HTTP server on a free port that answers every request with APPLICATION_MARK and the
    request line: what nginx passes to the application shows as such."""

    def __init__(self):
        (self.port,) = loopback_ports(1)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), _Application)
        serve_in_thread(self.server)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
