"""gunicorn settings for production; each value can be overridden from the environment."""

import multiprocessing
import os
import shutil
import tempfile

# Loopback unless told otherwise: in production nginx (or a load balancer) on the same host faces the network.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# No keep-alive: each connection carries one request. With it, a gthread worker takes every kept-alive connection it
# can accept, and the first worker awake took all of them (the journey's 256 connections: 256 on one worker of five,
# which the GIL holds to one core while the others idle; bench/README.md, "Finding the queue"). Closed after each
# answer, every request is accepted by a worker whose loop is free, so the load spreads over all of them.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))  # a worker restart reloads caches
max_requests_jitter = 20000
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
# The path without its query string and no Referer: searches carry phone numbers (?q=0912...), which do not
# belong in logs kept for months.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# /metrics sums every worker's counts: prometheus_client's multiprocess mode keeps them in files of this folder
# (set before the app is imported; emptied when the server starts; a dead worker's gauges dropped).
_OWN_METRICS_DIR = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _OWN_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="contest-metrics-")


def on_starting(server):  # type: ignore[no-untyped-def]
    """Empty the folder (an earlier run's counts), keeping it: mkdtemp made it private (0700), and another local user
    must not get the chance to put a folder or a link of their own in its place."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, mode=0o700, exist_ok=True)
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):  # type: ignore[no-untyped-def]
    if _OWN_METRICS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
