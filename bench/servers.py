"""The servers a benchmark runs: gunicorn with the production settings, and private PostgreSQL and Redis servers
(loopback, a free port, a temporary directory) for runs that stop and start them."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.setup import SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_gunicorn(
    port: int,
    database_url: str,
    redis_url: str,
    workers: int | None,
    *,
    log: Path | None = None,
    extra_env: dict[str, str] | None = None,
    app: str = "wsgi:app",
) -> subprocess.Popen[bytes]:
    """gunicorn.conf.py's settings on `port`; its log goes to `log` (else a pipe read only if it fails to start)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET_KEY,
        "CONTEST_ENV": "production",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",  # production requires it (links and cache keys come from it)
        "SESSION_COOKIE_SECURE": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESSLOG": "",
        "DEFAULT_RATE_LIMIT": "",  # one address plays thousands of people: no per-address default limit
        "LOGIN_TRIES_PER_ADDRESS": "1000000 per minute",  # nor a limit of logins per address (the journey logs in)
    }
    if workers:
        env["GUNICORN_WORKERS"] = str(workers)
    env.update(extra_env or {})
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app]
    errors = log.open("ab") if log is not None else subprocess.PIPE
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                written = log.read_bytes() if log is not None else b""
                failure = (process.stderr.read() if process.stderr else written).decode()[-2000:]
                raise SystemExit("gunicorn did not start:\n" + failure) from None
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def _children(master: int) -> list[dict[str, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            found.append({"pid": entry.name, **fields})
    return found


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers (children of the master)."""
    return [int(child["pid"]) for child in _children(master)]


def worker_rss_mb(master: int) -> float:
    """Average resident memory of the gunicorn workers."""
    sizes = [int(child["VmRSS"].split()[0]) / 1024 for child in _children(master) if "VmRSS" in child]
    return round(statistics.mean(sizes), 1) if sizes else 0.0


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's tools refuse to run as root: run them as the postgres account then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _postgres_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda path: int(path.parts[-3]))
    if not versions:
        raise SystemExit(f"{name} not found: install PostgreSQL's server package")
    return str(versions[-1])


class PrivatePostgres:
    """A PostgreSQL server of this run's own: a new cluster in a temporary directory, loopback, a free port."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="contest-faults-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        subprocess.run(
            as_postgres([_postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/contest_faults_bench"

    def _ctl(self, *args: str) -> None:
        command = [_postgres_bin("pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.directory / "server.log"), *args]
        subprocess.run(as_postgres(command), check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c max_connections=200"
        self._ctl("-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def restart(self, mode: str = "fast") -> None:
        """As a packaged server restarts (pg_ctlcluster ... restart): sessions are terminated mid-request, the
        server comes back at once."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c max_connections=200"
        self._ctl("-m", mode, "-o", options, "restart")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class PrivateRedis:
    """A redis-server of this run's own, keeping nothing on disk (a restart loses its data, as Redis without
    persistence does)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def close(self) -> None:
        self.stop()
