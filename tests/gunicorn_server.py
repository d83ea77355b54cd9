"""The production server as the tests start it: gunicorn with gunicorn.conf.py on a free loopback port, waited
for until /ping answers, stopped afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(port: int, database: Path, **settings: str) -> dict[str, str]:
    """Production settings on an SQLite file, without Redis, bound to `port`; `settings` on top."""
    return {
        **os.environ,
        "CONTEST_ENV": "production",
        "SECRET_KEY": "gunicorn-test-secret",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESSLOG": "",
        **settings,
    }


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """gunicorn serving the app with `env`; yields its address once /ping answers. Its log goes to a temporary file
    (a pipe nobody reads would stop it once full), whose end a failed start reports."""
    address = "http://" + env["GUNICORN_BIND"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            deadline = time.time() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{address}/ping", timeout=2).read()
                    break
                except OSError:
                    if server.poll() is not None or time.time() > deadline:
                        log.seek(0)
                        tail = log.read()[-2000:].decode(errors="replace")
                        raise AssertionError(f"gunicorn did not start: {tail}") from None
                    time.sleep(0.2)
            yield address
        finally:
            server.terminate()
            server.wait(30)
