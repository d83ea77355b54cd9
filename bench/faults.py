"""Fault run: participants save answers through gunicorn (3 workers) on PostgreSQL and Redis while workers are
killed and both servers restart; then every acknowledged save is looked for in the database.

    python -m bench.faults [--participants 24] [--duration 30] [--kill-every 2]

Everything runs on loopback, on servers of the run's own (a new PostgreSQL cluster and a redis-server in
temporary directories, on free ports), so nothing else on the machine is touched. A worker is SIGKILLed every
`--kill-every` seconds; Redis restarts (losing its data) at a third of the run; PostgreSQL is stopped and started at
half the run, and restarted as a packaged server restarts (pg_ctl restart -m fast) at five sixths.
Each participant sends one request at a time, like the quiz page: a refused or cut request is sent again after a
pause, a 503 after its Retry-After (capped at 1 s to keep the pressure on). Pass: 0 lost, no 5xx but 503, every
503 with Retry-After and a Vietnamese message. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.servers import PrivatePostgres, PrivateRedis, free_port, start_gunicorn, worker_pids
from bench.setup import Participant, build_app, load_round, recreate_database, stored_answers

VIETNAMESE_503 = "Hệ thống đang bận"


@dataclass
class Sent:
    position: int
    options: list[int]
    acknowledged: bool


@dataclass
class Tally:
    """What all participants saw; one lock, taken briefly per response."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[str] = field(default_factory=Counter)
    without_retry_after: int = 0
    not_vietnamese: int = 0
    successes: list[float] = field(default_factory=list)  # when each save was acknowledged (monotonic)

    def saw(self, status: str) -> None:
        with self.lock:
            self.statuses[status] += 1


def _message(data: bytes) -> str:
    try:
        return str(json.loads(data).get("message", ""))
    except (ValueError, AttributeError):
        return data.decode("utf-8", "replace")


class Person(threading.Thread):
    def __init__(self, person: Participant, port: int, round_id: int, stop: threading.Event, tally: Tally) -> None:
        super().__init__(daemon=True)
        self.person, self.port, self.round_id, self.stop, self.tally = person, port, round_id, stop, tally
        self.connection: http.client.HTTPConnection | None = None
        self.attempt_id: int | None = None
        self.attempt_token: str | None = None  # sent with the saves, as the quiz page does
        self.questions: list[dict[str, Any]] = []
        self.sent: list[Sent] = []
        self.rng = random.Random(person.user_id)

    def _request(self, method: str, path: str, body: Any = None) -> tuple[int, dict[str, str], bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": self.person.cookie, "X-CSRFToken": self.person.csrf, "Content-Type": "application/json"}
        if self.attempt_token:
            headers["X-Attempt-Token"] = self.attempt_token
        try:
            self.connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = self.connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise

    def _send(self, method: str, path: str, body: Any = None) -> tuple[int, bytes] | None:
        """One call, as the quiz page makes it; None when it was cut or refused (and is to be sent again)."""
        try:
            status, headers, data = self._request(method, path, body)
        except (OSError, http.client.HTTPException):
            self.tally.saw("connection cut")
            time.sleep(0.2)
            return None
        self.tally.saw(str(status))
        if status == 503:
            with self.tally.lock:
                self.tally.without_retry_after += "Retry-After" not in headers
                self.tally.not_vietnamese += VIETNAMESE_503 not in _message(data)
            time.sleep(min(1.0, float(headers.get("Retry-After", "1"))))
            return None
        if status >= 500:
            time.sleep(0.5)
            return None
        return status, data

    def run(self) -> None:
        while not self.stop.is_set() and self.attempt_id is None:
            started = self._send("POST", f"/api/rounds/{self.round_id}/attempts")
            if started is not None and started[0] in (200, 201):
                body = json.loads(started[1])
                self.attempt_id, self.questions = body["attempt_id"], body["questions"]
                self.attempt_token = body["attempt_token"]
        while not self.stop.is_set():
            position = self.rng.randrange(len(self.questions)) + 1
            options = [self.rng.choice(self.questions[position - 1]["options"])["id"]]
            record = Sent(position, options, acknowledged=False)
            self.sent.append(record)
            while not self.stop.is_set():
                answered = self._send(
                    "PUT", f"/api/attempts/{self.attempt_id}/answers/{position}", {"options": options}
                )
                if answered is None:
                    continue
                if answered[0] == 200:
                    record.acknowledged = True
                    with self.tally.lock:
                        self.tally.successes.append(time.monotonic())
                break  # another refusal (4xx) would be a failure of the run: counted in the statuses
            time.sleep(self.rng.uniform(0.02, 0.08))


def check(people: list[Person], database_url: str) -> dict[str, int]:
    """Each question's stored answer against the participant's log: it must be the last acknowledged choice, or
    one sent after it without an answer (a save cut after its commit)."""
    stored = stored_answers(database_url)
    acknowledged = found = lost = 0
    for person in people:
        by_position: dict[int, list[Sent]] = {}
        for record in person.sent:
            by_position.setdefault(record.position, []).append(record)
            acknowledged += record.acknowledged
        for position, records in by_position.items():
            last_ack = max((index for index, record in enumerate(records) if record.acknowledged), default=None)
            if last_ack is None:
                continue
            acceptable = [record.options for record in records[last_ack:]]
            acked_here = sum(record.acknowledged for record in records)
            kept = stored.get((person.attempt_id or 0, position))
            if kept is not None and kept in acceptable:  # every choice sent has one option: None is a loss
                found += acked_here
            else:
                lost += 1
    return {"acknowledged": acknowledged, "found": found, "lost": lost}


class Chaos(threading.Thread):
    """Kills a worker every few seconds; restarts Redis once and PostgreSQL once; watches /healthz."""

    def __init__(
        self, master: int, port: int, postgres: PrivatePostgres, redis: PrivateRedis, args: argparse.Namespace
    ) -> None:
        super().__init__(daemon=True)
        self.master, self.port, self.postgres, self.redis, self.args = master, port, postgres, redis, args
        self.kills = 0
        self.restarts: list[dict[str, Any]] = []
        self.health_seen: Counter[str] = Counter()
        self.failure: BaseException | None = None
        self.finished = threading.Event()

    def _health(self) -> None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/healthz")
            body = json.loads(connection.getresponse().read() or b"{}")
            connection.close()
            self.health_seen[f"database {body.get('database')}, redis {body.get('redis')}"] += 1
        except (OSError, http.client.HTTPException, ValueError):
            self.health_seen["no answer"] += 1

    def run(self) -> None:
        try:
            self._run()
        except BaseException as error:  # reported by the main thread
            self.failure = error
        finally:
            self.finished.set()

    def _run(self) -> None:
        began = time.monotonic()
        duration, every = self.args.duration, self.args.kill_every
        # Redis stopped and started; PostgreSQL stopped and started, then restarted the way a packaged server
        # restarts (pg_ctl restart -m fast: sessions terminated between a request's statement and its end)
        plan = {"redis": duration / 3, "postgresql": duration / 2, "postgresql-restart": 5 * duration / 6}
        next_kill = began + every
        while time.monotonic() - began < duration:
            now = time.monotonic()
            if now >= next_kill:
                workers = worker_pids(self.master)
                if workers:
                    os.kill(random.choice(workers), signal.SIGKILL)
                    self.kills += 1
                next_kill += every
            for part, at in list(plan.items()):
                if now - began >= at:
                    del plan[part]
                    self._restart(part)
            self._health()
            time.sleep(0.25)

    def _restart(self, part: str) -> None:
        began = time.monotonic()
        if part == "redis":
            self.redis.stop()
            self._health()
            time.sleep(1.0)
            self.redis.start()
        elif part == "postgresql":
            self.postgres.stop("fast")
            self._health()
            time.sleep(1.0)
            self.postgres.start()
        else:
            self.postgres.restart("fast")
        self.restarts.append({"part": part, "began": began, "back": time.monotonic()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=24)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load under faults")
    parser.add_argument("--kill-every", type=float, default=2.0, help="seconds between two worker kills")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    postgres, redis = PrivatePostgres(), PrivateRedis()
    log = Path(postgres.directory) / "gunicorn.log"
    server = None
    try:
        print(f"PostgreSQL on port {postgres.port}, Redis on port {redis.port}; setting up ...", flush=True)
        recreate_database(postgres.url)
        app = build_app(postgres.url, redis.url)
        round_id, accounts = load_round(app, args.participants)
        port = free_port()
        server = start_gunicorn(port, postgres.url, redis.url, args.workers, log=log)
        stop, tally = threading.Event(), Tally()
        people = [Person(account, port, round_id, stop, tally) for account in accounts]
        chaos = Chaos(server.pid, port, postgres, redis, args)
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        began = time.monotonic()
        for person in people:
            person.start()
        chaos.start()
        chaos.finished.wait(args.duration + 120)
        time.sleep(3.0)  # the last requests sent again after the last fault
        stop.set()
        for person in people:
            person.join(15)
        elapsed = time.monotonic() - began
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        if chaos.failure is not None:
            raise SystemExit(f"the fault thread failed: {chaos.failure!r}")
        outcome = check(people, postgres.url)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        redis.close()
        postgres.close()

    recovery = {
        restart["part"]: {
            "down_s": round(restart["back"] - restart["began"], 2),
            "first_save_after_s": round(
                min((t for t in tally.successes if t > restart["back"]), default=float("nan")) - restart["back"], 2
            ),
        }
        for restart in chaos.restarts
    }
    statuses = dict(sorted(tally.statuses.items()))
    server_errors = sum(
        count for status, count in statuses.items() if status.isdigit() and int(status) >= 500 and status != "503"
    )
    load_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    result = {  # CONTRACT §7's keys first
        "acked": outcome["acknowledged"],
        "found": outcome["found"],
        "lost": outcome["lost"],
        "kills": chaos.kills,
        "restarts": [restart["part"] for restart in chaos.restarts],
        "status": statuses,
        "recovery_s": recovery,
        "participants": args.participants,
        "duration_s": round(elapsed, 1),
        "5xx_other_than_503": server_errors,
        "503_without_retry_after": tally.without_retry_after,
        "503_without_vietnamese_message": tally.not_vietnamese,
        "healthz_seen": dict(chaos.health_seen),
        "load_generator_cpu_share": round(load_cpu / elapsed / (os.cpu_count() or 1), 3),
    }
    print(f"saves acknowledged {result['acked']}, found {result['found']}, lost {result['lost']}")
    print(f"worker kills {chaos.kills}, restarts {', '.join(result['restarts'])}, responses {statuses}")
    print(f"recovery after each restart (s): {recovery}; /healthz said {dict(chaos.health_seen)}")
    print(json.dumps(result, ensure_ascii=False))
    failed = outcome["lost"] or server_errors or tally.without_retry_after or tally.not_vietnamese
    failed = failed or chaos.kills < 10 or len(chaos.restarts) < 3
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
