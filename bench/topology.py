"""The production topology, on loopback: nginx in front of two gunicorn app servers, PgBouncer (transaction pooling)
in front of PostgreSQL, and Redis; the journey profile runs through nginx while one app server's master is
SIGKILLed and started again.

    python -m bench.topology [--participants 400] [--think 2] [--ramp 40] [--duration S] [--workers 2]

nginx and PgBouncer run with the files under deploy/ (nginx: contest-http.conf, contest-proxy.conf and
contest-proxy-headers.conf as they are, around a generated upstream of the two servers; PgBouncer: deploy's
pgbouncer.ini with this run's ports and paths), PostgreSQL and Redis are servers of the run's own (temporary
directories, free ports). Needs the Debian packages nginx, pgbouncer and PostgreSQL's server (`make topology`
installs what is missing). Prints the requests and participants each app server served (from its access log),
the acknowledged saves and those lost (0 is the pass), the errors while an app server was down and whether the
retries the quiz page makes covered them, and the journey's figures. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import configparser
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from bench.journey import Stats, add_login_share, run_journey
from bench.servers import ROOT, PrivatePostgres, PrivateRedis, as_postgres, free_port, start_gunicorn, worker_pids
from bench.setup import SECRET_KEY, build_app, load_round, recreate_database, stored_answers
from contest.extensions import db

DEPLOY = ROOT / "deploy"
NGINX_FILES = ("contest-http.conf", "contest-proxy.conf", "contest-proxy-headers.conf")
DOWN_S = 5.0  # how long the killed app server stays down before it is started again


def _wait_for_port(port: int, seconds: float = 15.0) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.3):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answers on port {port}")


def _binary(name: str) -> str:
    found = shutil.which(name) or next((str(p) for p in (Path("/usr/sbin") / name,) if p.exists()), None)
    if found is None:
        raise SystemExit(f"{name} not found: `make topology` installs it (Debian package {name})")
    return found


class PgBouncer:
    """deploy/pgbouncer/pgbouncer.ini with this run's database, port, paths and trust authentication."""

    def __init__(self, directory: Path, postgres_port: int, database: str) -> None:
        self.directory, self.port = directory, free_port()
        config = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";", "#"))
        config.read(DEPLOY / "pgbouncer" / "pgbouncer.ini")
        config["databases"] = {database: f"host=127.0.0.1 port={postgres_port} dbname={database}"}
        config["pgbouncer"].update(
            listen_port=str(self.port),
            auth_type="trust",
            auth_file=str(directory / "userlist.txt"),
            logfile=str(directory / "pgbouncer.log"),
            pidfile=str(directory / "pgbouncer.pid"),
            unix_socket_dir=str(directory),
        )
        (directory / "userlist.txt").write_text('"postgres" ""\n')
        with (directory / "pgbouncer.ini").open("w") as file:
            config.write(file)
        for name in ("userlist.txt", "pgbouncer.ini"):
            if os.geteuid() == 0:
                shutil.chown(directory / name, "postgres", "postgres")
        subprocess.run(as_postgres([_binary("pgbouncer"), "-d", str(directory / "pgbouncer.ini")]), check=True)
        _wait_for_port(self.port)

    def close(self) -> None:
        pid_file = self.directory / "pgbouncer.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


class Nginx:
    """nginx with deploy's files as they are, around an upstream of the app servers."""

    def __init__(self, directory: Path, app_ports: list[int]) -> None:
        self.port = free_port()
        for name in NGINX_FILES:
            shutil.copy(DEPLOY / "nginx" / name, directory / name)
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in app_ports)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        (directory / "nginx.conf").write_text(
            f"""{user}worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {directory}/nginx-body;
    proxy_temp_path {directory}/nginx-proxy;
    fastcgi_temp_path {directory}/nginx-fastcgi;
    uwsgi_temp_path {directory}/nginx-uwsgi;
    scgi_temp_path {directory}/nginx-scgi;
    upstream contest_app {{
{servers}
    }}
    include contest-http.conf;
    server {{
        listen 127.0.0.1:{self.port};
        set $contest_root {ROOT};
        include contest-proxy.conf;
    }}
}}
"""
        )
        command = [_binary("nginx"), "-p", str(directory), "-c", str(directory / "nginx.conf"), "-g", "daemon off;"]
        with (directory / "nginx-start.log").open("wb") as errors:
            self.process = subprocess.Popen(command, stderr=errors)
        try:
            _wait_for_port(self.port)
        except SystemExit:
            self.process.kill()
            raise SystemExit("nginx did not start: " + (directory / "nginx-start.log").read_text()) from None

    def close(self) -> None:
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(15)


def served_by(logs: dict[str, Path]) -> tuple[dict[str, int], dict[str, int]]:
    """Requests each app server answered (the lines of its access log), and participants it served (the distinct
    attempts in those lines' paths)."""
    pattern = re.compile(r"/api/attempts/(\d+)/")
    requests, participants = {}, {}
    for name, path in logs.items():
        text = path.read_text() if path.exists() else ""
        requests[name] = text.count("\n")
        participants[name] = len(set(pattern.findall(text)))
    return requests, participants


def nginx_failovers(directory: Path) -> int:
    """Requests nginx could not pass to an app server and sent to the other one (its error log says why)."""
    log = directory / "nginx-error.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    return sum(1 for line in text.splitlines() if "while connecting to upstream" in line or "from upstream" in line)


def lost_saves(stats: Stats, database_url: str) -> int:
    """Questions whose stored answer is neither the last acknowledged choice nor one sent after it."""
    stored = stored_answers(database_url)
    return sum(
        1
        for key, options in stats.acked.items()
        if stored.get(key) != options and stored.get(key) not in stats.unacked.get(key, [])
    )


METRICS_TOKEN = "topology-metrics-token"


def board_flood(nginx_port: int, count: int = 600) -> dict[str, int]:
    """One client asking for the big screen as fast as it can through nginx: its per-address limit of board reads
    (deploy/nginx/contest-http.conf: 100 a second, a burst of 200) answers the excess 429. The statuses counted."""
    statuses: dict[str, int] = {}
    for _ in range(count):
        try:
            status = urllib.request.urlopen(
                f"http://127.0.0.1:{nginx_port}/api/contests/bench/screen", timeout=5
            ).status
        except urllib.error.HTTPError as error:
            status = error.code
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return statuses


def read_metrics(ports: dict[str, int], nginx_port: int) -> dict[str, Any]:
    """What each app server's /metrics says after the run (app1's since its restart), and that nginx refuses it."""
    from prometheus_client.parser import text_string_to_metric_families

    seen: dict[str, Any] = {}
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{nginx_port}/metrics", timeout=5)
        seen["through_nginx"] = 200
    except urllib.error.HTTPError as error:
        seen["through_nginx"] = error.code
    seen["board_flood"] = board_flood(nginx_port)
    for name, port in ports.items():
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        text = urllib.request.urlopen(request, timeout=10).read().decode()
        figures: dict[str, float] = {"saves": 0.0, "requests": 0.0, "503": 0.0, "5xx": 0.0}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "contest_saves_total":
                    figures["saves"] += sample.value
                elif sample.name == "contest_requests_total":
                    figures["requests"] += sample.value
                    status = sample.labels.get("status", "")
                    figures["503"] += sample.value if status == "503" else 0.0
                    figures["5xx"] += sample.value if status.startswith("5") else 0.0
                elif sample.name in ("contest_database_up", "contest_redis_up", "contest_db_pool_checked_out"):
                    figures[sample.name.removeprefix("contest_")] = sample.value
        seen[name] = {key: int(value) for key, value in figures.items()}
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--ramp", type=float, default=40.0)
    parser.add_argument("--duration", type=float, help="seconds (default: the ramp, 30 thoughts and 30 s)")
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--connections", type=int, default=128)
    add_login_share(parser)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each app server")
    args = parser.parse_args()
    args.duration = args.duration or args.ramp + 30 * args.think + 30
    for name in ("nginx", "pgbouncer"):
        _binary(name)

    postgres, redis = PrivatePostgres(), PrivateRedis()
    directory = postgres.directory
    servers: dict[str, subprocess.Popen[bytes]] = {}
    bouncer: PgBouncer | None = None
    proxy: Nginx | None = None
    try:
        print(f"PostgreSQL on port {postgres.port}, Redis on port {redis.port}; setting up ...", flush=True)
        recreate_database(postgres.url)
        app = build_app(postgres.url, redis.url)
        round_id, people = load_round(app, args.participants)
        database = postgres.url.rsplit("/", 1)[1]
        bouncer = PgBouncer(directory, postgres.port, database)
        pooled_url = f"postgresql+psycopg://postgres@127.0.0.1:{bouncer.port}/{database}"
        ports = {"app1": free_port(), "app2": free_port()}
        logs = {name: directory / f"access-{name}.log" for name in ports}

        def start(name: str) -> subprocess.Popen[bytes]:
            return start_gunicorn(
                ports[name],
                pooled_url,
                redis.url,
                args.workers,
                log=directory / f"gunicorn-{name}.log",
                extra_env={
                    "PROXY_COUNT": "1",
                    "DATABASE_PREPARED_STATEMENTS": "0",
                    "GUNICORN_ACCESSLOG": str(logs[name]),
                    "METRICS_TOKEN": METRICS_TOKEN,
                },
            )

        for name in ports:
            servers[name] = start(name)
        servers["worker"] = start_certificate_worker(pooled_url, redis.url, directory / "worker.log")
        proxy = Nginx(directory, list(ports.values()))
        print(
            f"nginx on {proxy.port} -> app1 :{ports['app1']}, app2 :{ports['app2']}; PgBouncer on {bouncer.port}; "
            f"{args.participants} people arrive over {args.ramp:.0f} s, the run lasts {args.duration:.0f} s ...",
            flush=True,
        )
        stats = Stats()
        failover: dict[str, float] = {}

        async def kill_and_restart() -> None:
            await asyncio.sleep(args.duration * 0.4)
            victim = servers["app1"]
            workers = worker_pids(victim.pid)
            failover["killed"] = time.perf_counter()
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            # then its workers, as systemd ends the rest of a unit whose main process died (they would otherwise
            # go on serving their open connections for a while)
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            await asyncio.sleep(DOWN_S)
            servers["app1"] = await asyncio.to_thread(start, "app1")
            failover["restarted"] = time.perf_counter()

        journey = asyncio.run(
            run_journey(args, proxy.port, None, round_id, people, stats=stats, alongside=kill_and_restart)
        )
        metrics_seen = read_metrics(ports, proxy.port)
        lost = lost_saves(stats, postgres.url)
        certificates = publish_and_draw(app, round_id, postgres.url)
        shares, people_served = served_by(logs)
        passed_on = nginx_failovers(directory)
    finally:
        if proxy is not None:
            proxy.close()
        for process in servers.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(30)
        if bouncer is not None:
            bouncer.close()
        redis.close()
        postgres.close()

    window_end = failover.get("restarted", float("inf")) + 5.0
    during = [kind for at, kind in stats.error_times if failover.get("killed", float("inf")) <= at <= window_end]
    result = {
        "served_by": shares,  # requests each app server answered
        "participants_served_by": people_served,
        "acked": len(stats.acked),
        "lost": lost,
        "failover_errors": len(during),
        "failover_errors_by_kind": {kind: during.count(kind) for kind in sorted(set(during))},
        "nginx_passed_to_other_server": passed_on,
        "retried": stats.retried,
        "retries_covered": stats.covered,
        "retries_uncovered": stats.uncovered,
        "app1_down_s": round(failover.get("restarted", 0.0) - failover.get("killed", 0.0), 1),
        "certificates": certificates,
        "metrics": metrics_seen,
        "journey": journey,
    }
    print(f"requests answered by each app server: {shares}; participants each served: {people_served}")
    print(f"saves acknowledged (questions) {result['acked']}, lost {lost}")
    print(f"/metrics: {metrics_seen}")
    print(
        f"app1 killed and down {result['app1_down_s']} s: nginx passed {passed_on} requests to app2; "
        f"{len(during)} errors reached the participants meanwhile "
        f"{result['failover_errors_by_kind']}; {stats.retried} tries sent again: {stats.covered} requests got "
        f"through that way, {stats.uncovered} never did"
    )
    print(
        f"journey: completed {journey['completed_attempts']} of {journey['participants']}, errors {journey['errors']}, "
        f"CPU {journey['cpu_share']}"
    )
    print(
        f"certificates: the round published, {certificates['issued']} issued and drawn by the worker in "
        f"{certificates['drawn_in_s']} s, {certificates['left']} left undrawn"
    )
    print(json.dumps(result, ensure_ascii=False))
    flood = metrics_seen["board_flood"]
    limited = flood.get("200", 0) >= 200 and flood.get("429", 0) > 0 and set(flood) <= {"200", "429"}
    raise SystemExit(
        1 if lost or not all(shares.values()) or stats.uncovered or certificates["left"] or not limited else 0
    )


def start_certificate_worker(database_url: str, redis_url: str, log: Path) -> subprocess.Popen[bytes]:
    """`flask work` beside the app servers, through PgBouncer, as deploy/systemd runs it."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET_KEY,
        "CONTEST_ENV": "production",
        "PUBLIC_URL": "http://127.0.0.1",
        "DATABASE_PREPARED_STATEMENTS": "0",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "work", "--poll", "0.5"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def publish_and_draw(app: Flask, round_id: int, database_url: str, wait_s: float = 120) -> dict[str, Any]:
    """After the run: the round closed and published (as the organizer's buttons do), then the worker running
    beside the app servers draws its certificates; how many it drew and how long it took."""
    from contest import clock
    from contest.models import CertificateDrawing, Round
    from contest.services.results.closing import close_round
    from contest.services.results.publishing import DOCUMENT_FIELDS, publish_results
    from contest.services.shared.audit import Actor

    me = Actor(cli_user="bench")
    with app.app_context():
        session = db.session()
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise SystemExit(f"no round {round_id}")
        for field in DOCUMENT_FIELDS:
            setattr(round_.contest, field, "Bench")
        close_round(session, round_, actor=me, now=clock.now(), outside_tables_ok=True)
        report = publish_results(session, round_, actor=me, now=clock.now())
        session.commit()
        started = time.perf_counter()
        left = report.valid
        while left and time.perf_counter() - started < wait_s:
            time.sleep(0.5)
            left = session.scalar(select(func.count()).select_from(CertificateDrawing)) or 0
            session.rollback()
        db.engine.dispose()
    return {"issued": report.valid, "drawn_in_s": round(time.perf_counter() - started, 1), "left": left}


if __name__ == "__main__":
    main()
