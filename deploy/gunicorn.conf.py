"""Gunicorn settings for a web host (public or admin, chosen by PORTAL_ROLE in the env file).

nginx in front terminates TLS and forwards to 127.0.0.1:8000; see README "Production deployment".
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads cover the waits on PostgreSQL and Redis; processes cover the CPU.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = 5000
max_requests_jitter = 500
# Only the local nginx may set X-Forwarded-Proto / X-Forwarded-For.
forwarded_allow_ips = "127.0.0.1"
# Longer than nginx's 8 KB request line: nginx answers too-long addresses first, with its
# Chinese 414 page, instead of gunicorn's English 400.
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = f"portal-{os.environ.get('PORTAL_ROLE', 'all')}"
