"""A round of national size closed, published and exported: how long each step takes, and the memory the results
workbook needs, for rounds of several sizes.

    python -m bench.exports --attempts 10000 20000 100000

For each size: BENCH_DATABASE_URL (dropped and created again; default contest_bench on the local PostgreSQL) gets the
demo units, bank and an open round, then that many finished attempts straight into the database (bench.setup), and
then, as `round close`, `results publish` and `results export` do in one process: the close (final ranking), the
publication (certificates issued), the results workbook (written to a file) with the process's peak memory growth
while it is written. BENCH_REDIS_URL (flushed; default database 14 of the local Redis) holds the live board. The last
line printed is one JSON object; compare sizes within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import redis

from bench.setup import build_app, load_board, load_round, recreate_database
from contest import clock
from contest.extensions import db
from contest.models import Round
from contest.services.ranking.results_export import write_results
from contest.services.results.closing import close_round
from contest.services.results.publishing import DOCUMENT_FIELDS, publish_results
from contest.services.shared.audit import Actor

ME = Actor(cli_user="bench")


def _resident_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak since the last reset) of this process, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = step()
    db.session.commit()
    return round(time.perf_counter() - started, 2), result


def measure(size: int, database_url: str, redis_url: str) -> dict[str, Any]:
    recreate_database(database_url)
    redis.Redis.from_url(redis_url).flushdb()
    app = build_app(database_url, redis_url)
    round_id, _ = load_round(app, 0)
    print(f"{size}: putting {size} finished attempts in the round ...", flush=True)
    load_board(app, round_id, size)
    figures: dict[str, Any] = {"attempts": size}
    with app.app_context():
        session = db.session()
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise SystemExit(f"no round {round_id}")
        now = clock.now()
        round_.closes_at = now - timedelta(seconds=1)  # the round's time is over: the close ranks it
        for field in DOCUMENT_FIELDS:  # the heading and signer the documents need before publishing
            setattr(round_.contest, field, "Bench")
        session.commit()
        figures["close_s"], ranked = _timed(lambda: close_round(session, round_, actor=ME, now=now))
        figures["ranked"] = len(ranked)
        figures["publish_s"], _report = _timed(lambda: publish_results(session, round_, actor=ME, now=clock.now()))
        db.engine.dispose()
    # the workbook as `results export` writes it: in a process of its own, so that its peak memory is its own
    written = subprocess.run(
        [sys.executable, "-m", "bench.exports", "--workbook-of", str(round_id)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_DATABASE_URL": database_url, "BENCH_REDIS_URL": redis_url},
    )
    figures.update(json.loads(written.stdout.strip().splitlines()[-1]))
    print(f"{size}: {json.dumps(figures)}", flush=True)
    return figures


def write_workbook(round_id: int, database_url: str, redis_url: str) -> dict[str, Any]:
    app = build_app(database_url, redis_url)
    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        session = db.session()
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise SystemExit(f"no round {round_id}")
        target = Path(folder) / "results.xlsx"
        before = _resident_mb("VmRSS")
        seconds, rows = _timed(lambda: write_results(session, round_, target, actor=ME, now=clock.now()))
        figures = {
            "workbook_s": seconds,
            "workbook_rows": rows,
            "workbook_peak_mb": round(_resident_mb("VmHWM") - before, 1),  # above the process before it began
            "workbook_file_mb": round(target.stat().st_size / 1e6, 1),
        }
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, nargs="+", default=[10_000, 20_000], help="finished attempts")
    parser.add_argument("--workbook-of", type=int, help=argparse.SUPPRESS)  # the child process: one workbook
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/contest_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    if args.workbook_of:
        print(json.dumps(write_workbook(args.workbook_of, database_url, redis_url)))
        return
    runs = [measure(size, database_url, redis_url) for size in args.attempts]
    smallest = runs[0]
    for run in runs[1:]:  # how each step grows against the size: 1.0 is linear
        growth = run["attempts"] / smallest["attempts"]
        for step in ("close_s", "publish_s", "workbook_s"):
            if smallest[step]:
                run[f"{step[:-2]}_growth_per_size"] = round(run[step] / smallest[step] / growth, 2)
    redis.Redis.from_url(redis_url).flushdb()
    print(json.dumps({"runs": runs}))


if __name__ == "__main__":
    main()
