"""A small local web server the crawler and probes are tested against: a dict of path →
(status, headers, body, delay) answered from a thread, with a count of requests per path."""

import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.serving import serve_in_thread


class LocalWeb:
    def __init__(self, host="127.0.0.1"):
        self.pages = {}
        self.hits = Counter()
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                web.hits[path] += 1
                status, headers, body, delay = web.pages.get(
                    path, (404, {"Content-Type": "text/html"}, "<h1>404</h1>", 0)
                )
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    data = body.encode("utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: that is what a slow link test wants

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_port}"

    def page(self, path, body, *, status=200, delay=0, content_type="text/html; charset=utf-8"):
        self.pages[path] = (status, {"Content-Type": content_type}, body, delay)

    def redirect(self, path, to, status=302):
        self.pages[path] = (status, {"Location": to}, "", 0)

    def __enter__(self):
        serve_in_thread(self.server)
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
