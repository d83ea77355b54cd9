"""How gunicorn's workers share the load: 256 connections ask for the contest page for a few seconds, and each
worker's CPU is read from /proc. Run it with gunicorn's settings in the environment to compare them:

    python -m bench.spread
    GUNICORN_KEEPALIVE=5 python -m bench.spread
    GUNICORN_KEEPALIVE=5 GUNICORN_WORKER_CONNECTIONS=64 python -m bench.spread

The last line printed is one JSON object: requests a second, each worker's CPU ticks (1/100 s), the app's cores.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

from bench.http import Connection
from bench.servers import free_port, start_gunicorn
from bench.setup import build_app, load_round, recreate_database

CONNECTIONS = 256
SECONDS = 6.0
SETTINGS = ("GUNICORN_KEEPALIVE", "GUNICORN_WORKER_CONNECTIONS", "GUNICORN_WORKER_CLASS", "GUNICORN_WORKERS")


def worker_ticks(master: int) -> dict[int, int]:
    """CPU ticks (user and system) of each child of `master`."""
    ticks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # fields after the name: state, ppid, ..., utime (12th), stime (13th)
            ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    return ticks


async def load(port: int, master: int) -> dict[str, object]:
    connections = [Connection("127.0.0.1", port) for _ in range(CONNECTIONS)]
    answered = 0
    stop_at = time.perf_counter() + SECONDS

    async def client(connection: Connection) -> None:
        nonlocal answered
        while time.perf_counter() < stop_at:
            if (await connection.request("GET", "/contests/bench")).status == 200:
                answered += 1

    before = worker_ticks(master)
    began = time.perf_counter()
    await asyncio.gather(*(client(connection) for connection in connections))
    elapsed = time.perf_counter() - began
    after = worker_ticks(master)
    for connection in connections:
        await connection.close()
    ticks = sorted((after[pid] - before.get(pid, 0) for pid in after), reverse=True)
    return {
        "settings": {name: os.environ[name] for name in SETTINGS if name in os.environ},
        "requests_per_s": round(answered / elapsed, 1),
        "worker_ticks": ticks,
        "app_cores": round(sum(ticks) / 100 / elapsed, 2),
    }


def main() -> None:
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/contest_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    recreate_database(database_url)
    load_round(build_app(database_url, redis_url), 10)
    port = free_port()
    server = start_gunicorn(port, database_url, redis_url, None)
    try:
        time.sleep(2)  # every worker started
        result = asyncio.run(load(port, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=40)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
