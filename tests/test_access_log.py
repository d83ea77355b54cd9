"""What the production server writes in its access log: no phone numbers from query strings or referrers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_the_access_log_keeps_no_query_string_and_no_referrer(tmp_path) -> None:
    port, log = _free_port(), tmp_path / "access.log"
    env = {
        **os.environ,
        "CONTEST_ENV": "production",
        "SECRET_KEY": "access-log-test",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "REDIS_URL": "",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESSLOG": str(log),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2).read()
                break
            except OSError:
                assert time.time() < deadline and server.poll() is None, "gunicorn did not start"
                time.sleep(0.2)
        # The start-up loop above pinged /ping as many times as the server took to start: the request under test
        # goes to another address, so that its line is told apart from theirs.
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz?q=0912345678",
            headers={"Referer": f"http://127.0.0.1:{port}/admin/users?q=0987654321"},
        )
        urllib.request.urlopen(request, timeout=5).read()
        for _ in range(50):
            if log.exists() and "/healthz" in log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(10)
    written = log.read_text()
    assert written.count('"GET /healthz HTTP/1.1" 200') == 1, written  # the path kept, its query string left out
    assert "0912345678" not in written and "0987654321" not in written and "q=" not in written
