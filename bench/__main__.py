"""Load benchmark (CONTRACT §7): gunicorn with the production settings, PostgreSQL and Redis on this
machine, 64 concurrent clients, each endpoint measured beside a trivial one in the same run.

    python -m bench --profile quick|peak [--duration S] [--clients 64] [--workers W]
    python -m bench --profile journey --participants N --think S [--ramp R] [--duration D] [--viewers V]

The database named by BENCH_DATABASE_URL (default: contest_bench on the local PostgreSQL) is dropped
and created again. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import redis

from bench.http import Connection, Response
from bench.journey import add_login_share, print_result, run_journey
from bench.measure import CpuWatch, Measure, metrics_cost_ms_per_save
from bench.servers import free_port, start_gunicorn, worker_rss_mb
from bench.setup import Participant, build_app, load_board, load_round, recreate_database

ROOT = Path(__file__).resolve().parent.parent
SLICE_S = 2.0
PROFILES = {
    "quick": {"participants": 4000, "board": 20_000, "duration": 6.0},
    "peak": {"participants": 20_000, "board": 100_000, "duration": 20.0},
}


async def run_phase(
    clients: int,
    duration: float,
    port: int,
    call: Callable[[Connection], Awaitable[Response | None]],
    master: int | None = None,
) -> Measure:
    """`clients` connections call as fast as they can for `duration` seconds (or until `call` has no work); with
    `master` (the gunicorn serving `port`), the CPU each part of the machine used meanwhile is recorded too."""
    measure = Measure()
    cpu = CpuWatch(master) if master is not None else None
    stop_at = time.perf_counter() + duration

    async def client() -> None:
        connection = Connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                try:
                    response = await call(connection)
                except (ConnectionError, asyncio.IncompleteReadError, OSError):
                    measure.errors += 1
                    continue
                if response is None:
                    return
                if response.status >= 400:
                    measure.errors += 1
                else:
                    measure.latencies.append(time.perf_counter() - started)
        finally:
            await connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    measure.elapsed = time.perf_counter() - began
    if cpu is not None:
        measure.cpu_s = cpu.seconds()
    return measure


async def benchmark(
    args: argparse.Namespace, masters: dict[int, int], round_id: int, people: list[Participant]
) -> dict[str, Any]:
    """`masters`: the gunicorn master of each port, the app's first and the bare Flask app's second."""
    port, bare_port = masters
    rng = random.Random(1)
    results: dict[str, Measure] = {}

    def headers(person: Participant, attempt_token: str | None = None) -> dict[str, str]:
        """What the quiz page sends: the cookie, the CSRF token and, once started, the attempt token."""
        sent = {"Cookie": person.cookie, "X-CSRFToken": person.csrf}
        return {**sent, "X-Attempt-Token": attempt_token} if attempt_token else sent

    async def trivial(connection: Connection) -> Response:
        return await connection.request("GET", "/ping")

    waiting = list(people)
    started: list[tuple[Participant, int, list[tuple[int, list[int]]], str]] = []

    async def start(connection: Connection) -> Response | None:
        if not waiting:
            return None
        person = waiting.pop()
        response = await connection.request("POST", f"/api/rounds/{round_id}/attempts", headers=headers(person))
        if response.status in (200, 201):
            body = response.json()
            options = [(q["position"], [o["id"] for o in q["options"]]) for q in body["questions"]]
            started.append((person, body["attempt_id"], options, body["attempt_token"]))
        return response

    async def save(connection: Connection) -> Response | None:
        open_attempts = started[len(submitted) :]  # submit takes attempts from the front
        if not open_attempts:
            return None
        person, attempt_id, questions, token = rng.choice(open_attempts)
        position, options = rng.choice(questions)
        return await connection.request(
            "PUT",
            f"/api/attempts/{attempt_id}/answers/{position}",
            headers=headers(person, token),
            body={"options": [rng.choice(options)]},
        )

    async def submit(connection: Connection) -> Response | None:
        if len(submitted) >= len(started):
            return None
        person, attempt_id, _, token = started[len(submitted)]
        submitted.append(attempt_id)
        return await connection.request(
            "POST",
            f"/api/attempts/{attempt_id}/submit",
            headers=headers(person, token),
            body={"prediction": rng.randint(0, 500)},
        )

    submitted: list[int] = []

    async def start_and_submit(connection: Connection) -> Response | None:
        response = await start(connection)
        if response is None or response.status not in (200, 201):
            return response
        person, attempt_id, _, token = started.pop()
        return await connection.request(
            "POST", f"/api/attempts/{attempt_id}/submit", headers=headers(person, token), body={"prediction": 7}
        )

    async def board(connection: Connection) -> Response:
        return await connection.request("GET", f"/api/rounds/{round_id}/leaderboard?limit=50")

    async def screen(connection: Connection) -> Response:
        return await connection.request("GET", "/api/contests/bench/screen")

    async def contest_page(connection: Connection) -> Response:
        person = rng.choice(people)
        return await connection.request("GET", "/contests/bench", headers={"Cookie": person.cookie})

    async def quiz_page(connection: Connection) -> Response | None:
        """The quiz page of someone whose attempt is running (a reload: the questions and answers come back)."""
        open_attempts = started[len(submitted) :]
        if not open_attempts:
            return None
        person = rng.choice(open_attempts)[0]
        return await connection.request("GET", f"/rounds/{round_id}/take", headers={"Cookie": person.cookie})

    calls = {
        "start_attempt": start,
        "save_answer": save,
        "contest_page": contest_page,
        "quiz_page": quiz_page,
        "submit": submit,
        "leaderboard": board,
        "screen": screen,
    }
    if args.only:  # one endpoint (start_attempt first, so saves and submits have attempts)
        calls = {name: call for name, call in calls.items() if name in {args.only, "start_attempt"}}
    # The machine is shared and its speed drifts: endpoints are measured in short slices, each next
    # to a slice of the trivial endpoint, so every ratio compares measurements taken side by side.
    slices = max(1, round(args.duration / SLICE_S))
    for index in range(slices):
        for name, call in calls.items():
            for label, work, target in (
                ("bare_flask", trivial, bare_port),
                ("trivial", trivial, port),
                (name, call, port),
            ):
                if label in ("leaderboard", "screen"):
                    # readers measured while a few clients keep starting and submitting attempts
                    part, _ = await asyncio.gather(
                        run_phase(args.clients, args.duration / slices, port, work, masters[port]),
                        run_phase(4, args.duration / slices, port, start_and_submit),
                    )
                else:
                    part = await run_phase(args.clients, args.duration / slices, target, work, masters[target])
                results.setdefault(label, Measure()).merge(part)
        print(f"  slice {index + 1}/{slices} done", flush=True)
    return {"measures": results, "started": len(started), "submitted": len(submitted)}


def start_profiler(master: int) -> list[subprocess.Popen[bytes]]:
    """With BENCH_PYSPY=FILE, py-spy (installed apart: `pip install py-spy`) samples the app's workers for the
    whole run and writes collapsed stacks (one line per stack and its count) to FILE when the run ends."""
    target = os.environ.get("BENCH_PYSPY")
    if not target:
        return []
    command = ["py-spy", "record", "--pid", str(master), "--subprocesses", "--format", "raw", "--rate", "200"]
    return [subprocess.Popen([*command, "--output", target], stdout=subprocess.DEVNULL)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=[*sorted(PROFILES), "journey"], default="quick")
    parser.add_argument("--duration", type=float, help="seconds per endpoint")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--participants", type=int, help="participants who take the quiz during the run")
    parser.add_argument("--board", type=int, help="participants already on the board (finished attempts)")
    parser.add_argument("--think", type=float, default=5.0, help="journey: seconds a person thinks per question")
    parser.add_argument("--ramp", type=float, default=60.0, help="journey: seconds over which people arrive")
    parser.add_argument("--viewers", type=int, default=200, help="journey: board and big-screen watchers")
    parser.add_argument("--connections", type=int, default=256, help="journey: keep-alive connections to share")
    add_login_share(parser)
    parser.add_argument(
        "--only",
        choices=["start_attempt", "save_answer", "contest_page", "quiz_page", "submit", "leaderboard", "screen"],
        help="saturation: measure this endpoint (and the attempt starts it needs) only, e.g. under a profiler",
    )
    args = parser.parse_args()
    if args.profile == "journey":
        main_journey(args)
        return
    profile = PROFILES[args.profile]
    args.duration = args.duration or profile["duration"]
    participants = int(args.participants or profile["participants"])
    board_size = int(args.board if args.board is not None else profile["board"])
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/contest_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")

    print(f"setting up {participants} participants in {database_url.rsplit('/', 1)[-1]} ...", flush=True)
    recreate_database(database_url)
    redis_client = redis.Redis.from_url(redis_url)
    redis_client.flushdb()
    app = build_app(database_url, redis_url)
    round_id, people = load_round(app, participants)
    print(f"putting {board_size} finished attempts on the board ...", flush=True)
    board_mb = load_board(app, round_id, board_size)

    port, bare_port = free_port(), free_port()
    server = start_gunicorn(port, database_url, redis_url, args.workers)
    bare = start_gunicorn(bare_port, database_url, redis_url, args.workers, app="bench.bare:app")
    profiler = start_profiler(server.pid)
    try:
        outcome = asyncio.run(benchmark(args, {port: server.pid, bare_port: bare.pid}, round_id, people))
        rss = worker_rss_mb(server.pid)
    finally:
        for spy in profiler:  # py-spy writes its file when interrupted
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        for process in (server, bare):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    measures: dict[str, Measure] = outcome["measures"]
    endpoints = {name: measure.summary() for name, measure in measures.items()}
    ceiling = endpoints.pop("bare_flask")
    trivial_rps = endpoints["trivial"]["rps"] or 1.0
    for name, summary in endpoints.items():
        print(
            f"{name:14} {summary['rps']:8.1f} req/s  p50 {summary['p50_ms']:6.1f} ms  "
            f"p95 {summary['p95_ms']:6.1f} ms  p99 {summary['p99_ms']:6.1f} ms  errors {measures[name].errors}  "
            f"CPU ms per request {measures[name].cpu_ms_per_request()}"
        )
    result = {
        "profile": args.profile,
        "participants": participants,
        "duration_s": args.duration,
        "errors": sum(measure.errors for measure in measures.values()),
        "attempts_per_s": endpoints["start_attempt"]["rps"],
        "endpoints": endpoints,
        "ratios": {
            name: round(endpoints[name]["rps"] / trivial_rps, 3)
            for name in ("start_attempt", "save_answer", "leaderboard", "screen")
            if name in endpoints
        },
        # the same rates against a ten-line Flask app under the same gunicorn settings (bench/bare.py)
        "ceiling": {"rps": ceiling["rps"], "p99_ms": ceiling["p99_ms"]},
        "ratios_to_ceiling": {
            name: round(endpoints[name]["rps"] / (ceiling["rps"] or 1.0), 3)
            for name in (
                "trivial",
                "start_attempt",
                "save_answer",
                "contest_page",
                "quiz_page",
                "submit",
                "leaderboard",
                "screen",
            )
            if name in endpoints
        },
        # where the CPU goes: milliseconds of each part per answered request (a board's slices include the few
        # starts and submits that run beside them)
        "cpu_ms_per_request": {name: measure.cpu_ms_per_request() for name, measure in measures.items()},
        # what /metrics' counting costs a save, against the save's whole app CPU (the target: under 3 %)
        "metrics_share_of_save_cpu": _metrics_share(measures),
        "rss_mb_per_worker": rss,
        "redis_mb": round(redis_client.info("memory")["used_memory"] / 1e6, 2),
        "board_participants": board_size,
        "redis_mb_per_100k_participants": round(board_mb * 100_000 / board_size, 1) if board_size else None,
    }
    print(json.dumps(result, ensure_ascii=False))


def _metrics_share(measures: dict[str, Measure]) -> float | None:
    save = measures.get("save_answer")
    save_ms = save.cpu_ms_per_request()["app"] if save is not None else 0.0
    return round(metrics_cost_ms_per_save() / save_ms, 4) if save_ms else None


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if gunicorn has not finished within its graceful timeout (a backlog of requests)."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=35)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def main_journey(args: argparse.Namespace) -> None:
    participants = int(args.participants or 1000)
    args.duration = args.duration or args.ramp + 30 * args.think + 30
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/contest_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    print(f"setting up {participants} participants in {database_url.rsplit('/', 1)[-1]} ...", flush=True)
    recreate_database(database_url)
    redis.Redis.from_url(redis_url).flushdb()
    app = build_app(database_url, redis_url)
    round_id, people = load_round(app, participants)
    port = free_port()
    server = start_gunicorn(port, database_url, redis_url, args.workers)
    print(f"{participants} people arrive over {args.ramp:.0f} s; the run lasts {args.duration:.0f} s ...", flush=True)
    try:
        result = asyncio.run(run_journey(args, port, server.pid, round_id, people))
    finally:
        stop_server(server)
    print_result(result)


if __name__ == "__main__":
    main()
