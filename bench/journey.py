"""The journey profile: simulated people doing what a person does, with think time, while a crowd watches the
boards (CONTRACT §7).

    python -m bench --profile journey --participants N --think S [--ramp R] [--duration D] [--viewers V]

Each participant arrives at a random moment of the ramp; a share of them log in through POST /api/session
(password and all), the others hold a session made before the measured window by the app's own code. Then:
the contest page, the quiz page, start, every question answered after a think time drawn around S seconds (now
and then an answer changed), one reload of the quiz page (resume), the submission with a prediction, and a few
looks at the board every 5 s. Meanwhile V viewers poll the big screen and the board every 5 s.

The load generator is one asyncio process with a pool of keep-alive connections (people do not each hold one:
nginx multiplexes them the same way); its own CPU is measured and reported beside the app's, PostgreSQL's and
Redis's, from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.http import Connection, Response
from bench.measure import CpuWatch, summarize
from bench.setup import Participant

BOARD_POLL_S = 5.0
# of participants log in during the run, with their password (the rest hold a session): --login-share
LOGIN_SHARE = 0.05
CHANGE_SHARE = 0.1  # of answers are changed once more, like a person who reconsiders
TARGET_P99_MS = {"save_answer": 150, "leaderboard": 150, "screen": 150, "start_attempt": 300, "submit": 300}


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    after_ramp: dict[str, list[float]] = field(default_factory=dict)  # answered once everyone has arrived
    ramp_ends: float = float("inf")
    errors: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0
    in_flight_samples: list[int] = field(default_factory=list)
    completed: int = 0
    # (attempt id, position): the options of the last save the server acknowledged, and those sent after it that
    # got no acknowledgement (each may or may not be stored)
    acked: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    unacked: dict[tuple[int, int], list[list[int]]] = field(default_factory=dict)
    retried: int = 0  # tries sent again after a failure, as the quiz page does
    covered: int = 0  # requests that failed and then got through on a later try
    uncovered: int = 0  # requests that failed and never got through
    error_times: list[tuple[float, str]] = field(default_factory=list)  # when each unexpected answer came

    def record(self, name: str, started: float, response: Response | None, expected: tuple[int, ...]) -> bool:
        if response is None or response.status not in expected:
            kind = f"{name} {response.status if response else 'no answer'}"
            self.errors[kind] += 1
            self.error_times.append((time.perf_counter(), kind))
            return False
        now = time.perf_counter()
        self.latencies.setdefault(name, []).append(now - started)
        if started >= self.ramp_ends:
            self.after_ramp.setdefault(name, []).append(now - started)
        return True


class Pool:
    """Keep-alive connections shared by every simulated person: a request takes one and gives it back."""

    def __init__(self, port: int, size: int) -> None:
        self.free: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(size):
            self.free.put_nowait(Connection("127.0.0.1", port))

    async def call(
        self, stats: Stats, name: str, method: str, path: str, expected: tuple[int, ...] = (200,), **kwargs: Any
    ) -> Response | None:
        connection = await self.free.get()
        started = time.perf_counter()
        try:
            response: Response | None = await connection.request(method, path, **kwargs)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            response = None
        finally:
            self.free.put_nowait(connection)
        stats.record(name, started, response, expected)
        return response

    async def close(self) -> None:
        """Close every connection without waiting for the server's side: a journey cancelled at the end of the run
        may have left one in the middle of a request."""
        while not self.free.empty():
            connection = self.free.get_nowait()
            if connection.writer is not None:
                connection.writer.close()


RETRY_WAITS_S = (0.5, 1.0, 2.0, 4.0, 8.0)  # the quiz page's backoff, shortened


async def _with_retries(
    pool: Pool, stats: Stats, name: str, method: str, path: str, expected: tuple[int, ...], **kwargs: Any
) -> Response | None:
    """Send like the quiz page: an answer that is not expected (no answer, a 5xx) is sent again after a wait;
    a refusal that another try would not change (4xx) is not."""
    response = await pool.call(stats, name, method, path, expected, **kwargs)
    failed = False
    for wait in RETRY_WAITS_S:
        if response is not None and (response.status in expected or response.status < 500):
            break
        failed = True
        stats.retried += 1
        await asyncio.sleep(wait)
        response = await pool.call(stats, name, method, path, expected, **kwargs)
    if failed and response is not None and response.status in expected:
        stats.covered += 1
    elif failed:
        stats.uncovered += 1
    return response


async def _save(pool: Pool, stats: Stats, attempt_id: int, position: int, options: list[int], headers: Any) -> None:
    key = (attempt_id, position)
    stats.unacked.setdefault(key, []).append(options)
    path = f"/api/attempts/{attempt_id}/answers/{position}"
    response = await _with_retries(
        pool, stats, "save_answer", "PUT", path, (200,), headers=headers, body={"options": options}
    )
    if response is not None and response.status == 200:
        stats.acked[key] = response.json()["options"]
        stats.unacked[key] = []


def _cookie_headers(cookie: str, csrf: str | None = None) -> dict[str, str]:
    return {"Cookie": cookie, **({"X-CSRFToken": csrf} if csrf else {})}


async def _log_in(pool: Pool, stats: Stats, phone: str) -> tuple[str, str] | None:
    """Through the API, as the quiz page does after a lost session: a CSRF token, then POST /api/session."""
    token = await pool.call(stats, "csrf", "GET", "/api/csrf")
    if token is None or token.status != 200:
        return None
    cookie = f"session={token.cookies.get('session', '')}"
    csrf = token.json()["csrf_token"]
    body = {"phone": phone, "password": "bench-password"}
    answer = await pool.call(stats, "login", "POST", "/api/session", headers=_cookie_headers(cookie, csrf), body=body)
    if answer is None or answer.status != 200:
        return None
    # a login starts a new session, with a new CSRF token: the quiz page would carry it, the API hands it out
    cookie = f"session={answer.cookies.get('session', '')}"
    renewed = await pool.call(stats, "csrf", "GET", "/api/csrf", headers=_cookie_headers(cookie))
    if renewed is None or renewed.status != 200:
        return None
    return f"session={renewed.cookies.get('session', answer.cookies.get('session', ''))}", renewed.json()["csrf_token"]


async def journey(
    pool: Pool, stats: Stats, person: Participant, round_id: int, think: float, rng: random.Random, logs_in: bool
) -> None:
    cookie, csrf = person.cookie, person.csrf
    if logs_in:
        fresh = await _log_in(pool, stats, person.phone)
        if fresh is None:
            return
        cookie, csrf = fresh
    headers = _cookie_headers(cookie, csrf)
    await pool.call(stats, "contest_page", "GET", "/contests/bench", headers=headers)
    await pool.call(stats, "quiz_page", "GET", f"/rounds/{round_id}/take", headers=headers)
    started = await _with_retries(
        pool, stats, "start_attempt", "POST", f"/api/rounds/{round_id}/attempts", (200, 201), headers=headers
    )
    if started is None or started.status not in (200, 201):
        return
    body = started.json()
    attempt_id, questions = body["attempt_id"], body["questions"]
    page_headers = headers
    headers = {**headers, "X-Attempt-Token": body["attempt_token"]}  # as the quiz page sends its calls
    stats.in_flight += 1
    try:
        reload_at = rng.randrange(len(questions))
        for index, question in enumerate(questions):
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
            options = [rng.choice(question["options"])["id"]]
            await _save(pool, stats, attempt_id, question["position"], options, headers)
            if rng.random() < CHANGE_SHARE:
                await asyncio.sleep(rng.uniform(0.2 * think, 0.6 * think))
                options = [rng.choice(question["options"])["id"]]
                await _save(pool, stats, attempt_id, question["position"], options, headers)
            if index == reload_at:  # the page reloaded: the same questions, answers and deadline come back
                await pool.call(stats, "quiz_page", "GET", f"/rounds/{round_id}/take", headers=page_headers)
        submitted = await _with_retries(
            pool,
            stats,
            "submit",
            "POST",
            f"/api/attempts/{attempt_id}/submit",
            (200,),
            headers=headers,
            body={"prediction": rng.randint(0, 20_000)},
        )
        if submitted is not None and submitted.status == 200:
            stats.completed += 1
    finally:
        stats.in_flight -= 1
    for _ in range(3):  # then watches the board for a while
        await pool.call(stats, "leaderboard", "GET", f"/api/rounds/{round_id}/leaderboard?limit=50")
        await asyncio.sleep(BOARD_POLL_S)


async def viewer(pool: Pool, stats: Stats, round_id: int, stop_at: float, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, BOARD_POLL_S))
    while time.perf_counter() < stop_at:
        await pool.call(stats, "screen", "GET", "/api/contests/bench/screen")
        await pool.call(stats, "leaderboard", "GET", f"/api/rounds/{round_id}/leaderboard?limit=50")
        await asyncio.sleep(BOARD_POLL_S)


def login_share(text: str) -> float:
    """The --login-share argument: a share between 0 and 1."""
    share = float(text)
    if not 0 <= share <= 1:
        raise argparse.ArgumentTypeError("a share between 0 and 1, e.g. 0.5")
    return share


def add_login_share(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--login-share",
        type=login_share,
        default=LOGIN_SHARE,
        help=f"journey: the share of people who log in with their password on arrival (default {LOGIN_SHARE})",
    )


async def run_journey(
    args: argparse.Namespace,
    port: int,
    master: int | None,
    round_id: int,
    people: list[Participant],
    *,
    stats: Stats | None = None,
    alongside: Callable[[], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """The journey against the server on `port`. `master`: the app's gunicorn master (None: every gunicorn process
    of the machine is the app). `stats` collects what the caller checks afterwards; `alongside` runs during the
    journey (the topology run kills and restarts an app server from there)."""
    rng = random.Random(5)
    stats = stats if stats is not None else Stats()
    pool = Pool(port, args.connections)
    began = time.perf_counter()
    stats.ramp_ends = began + args.ramp
    stop_at = began + args.duration
    cpu = CpuWatch(master)

    async def arrive(person: Participant, at: float) -> None:
        await asyncio.sleep(at)
        if time.perf_counter() < stop_at:
            logs_in = rng.random() < args.login_share
            await journey(pool, stats, person, round_id, args.think, random.Random(person.user_id), logs_in)

    async def sample() -> None:
        while time.perf_counter() < stop_at:
            stats.in_flight_samples.append(stats.in_flight)
            cpu.sample()
            await asyncio.sleep(1.0)

    tasks = [asyncio.ensure_future(arrive(person, rng.uniform(0, args.ramp))) for person in people]
    tasks += [asyncio.ensure_future(viewer(pool, stats, round_id, stop_at, rng)) for _ in range(args.viewers)]
    sampler = asyncio.ensure_future(sample())
    side = asyncio.ensure_future(alongside()) if alongside is not None else None
    done, pending = await asyncio.wait(tasks, timeout=args.duration)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    await sampler
    if side is not None:
        await side
    elapsed = time.perf_counter() - began
    shares = cpu.shares()
    await pool.close()
    endpoints = {name: summarize(values, elapsed) for name, values in sorted(stats.latencies.items())}
    steady_s = max(1.0, elapsed - args.ramp)
    after_ramp = {name: summarize(values, steady_s) for name, values in sorted(stats.after_ramp.items())}
    steady = stats.in_flight_samples[len(stats.in_flight_samples) // 3 :] or [0]
    failures = [f for f in (t.exception() for t in done if not t.cancelled()) if f is not None]
    held = {name: endpoints[name]["p99_ms"] <= limit for name, limit in TARGET_P99_MS.items() if name in endpoints}
    held_after_ramp = {
        name: after_ramp[name]["p99_ms"] <= limit for name, limit in TARGET_P99_MS.items() if name in after_ramp
    }
    return {
        "profile": "journey",
        "participants": len(people),
        "think_s": args.think,
        "ramp_s": args.ramp,
        "login_share": args.login_share,
        "duration_s": round(elapsed, 1),
        "in_flight_peak": max(stats.in_flight_samples or [0]),
        "in_flight_sustained": int(statistics.median(steady)),
        "completed_attempts": stats.completed,
        "errors": sum(stats.errors.values()) + len(failures),
        "errors_by_kind": dict(stats.errors.most_common(10)),
        "acked_saves": len(stats.acked),
        "retried": stats.retried,
        "retries_covered": stats.covered,
        "retries_uncovered": stats.uncovered,
        "endpoints": endpoints,
        "p99_targets_held": held,
        # the same once everyone has arrived: the backlog of a steep ramp is not in these
        "endpoints_after_ramp": after_ramp,
        "p99_targets_held_after_ramp": held_after_ramp,
        "cpu_share": shares,
        "viewers": args.viewers,
        "connections": args.connections,
    }


def print_result(result: dict[str, Any]) -> None:
    for name, summary in result["endpoints"].items():
        print(
            f"{name:14} {summary['rps']:8.1f} req/s  p50 {summary['p50_ms']:6.1f} ms  "
            f"p95 {summary['p95_ms']:6.1f} ms  p99 {summary['p99_ms']:7.1f} ms"
        )
    print(
        f"in flight: peak {result['in_flight_peak']}, sustained {result['in_flight_sustained']}; "
        f"completed {result['completed_attempts']}; errors {result['errors']} {result['errors_by_kind']}"
    )
    for name, summary in result["endpoints_after_ramp"].items():
        print(f"  after the ramp: {name:14} {summary['rps']:8.1f} req/s  p99 {summary['p99_ms']:7.1f} ms")
    print(f"CPU share of the machine: {result['cpu_share']}; p99 targets held: {result['p99_targets_held']}")
    print(f"p99 targets held after the ramp: {result['p99_targets_held_after_ramp']}")
    print(json.dumps(result, ensure_ascii=False))
