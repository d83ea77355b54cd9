"""What the benchmarks measure: latencies and their percentiles, and the CPU each part of the machine uses."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.servers import worker_pids

ROOT = Path(__file__).resolve().parent.parent


def _ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime


def _processes() -> dict[int, tuple[str, str]]:
    """Every process: its name and command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(entry.name)] = (name, command)
    return found


# The parts of the machine, by process name; the app is found from its gunicorn master(s), or by command line.
PART_NAMES = {
    "postgres": ("postgres", "postmaster"),
    "redis": ("redis-server",),
    "nginx": ("nginx",),
    "pgbouncer": ("pgbouncer",),
}


class CpuWatch:
    """CPU seconds of the app (gunicorn's masters and workers), PostgreSQL, Redis, nginx, PgBouncer and this process
    (the load generator), over a window. `sample()` now and then keeps the CPU of processes that end during the
    window (a killed app server) and counts those that start (its restart)."""

    def __init__(self, master: int | None = None) -> None:
        self.master = master
        self.totals: dict[str, int] = {"app": 0, **dict.fromkeys(PART_NAMES, 0), "loadgen": 0}
        self.seen: dict[int, int] = {}  # pid: ticks counted so far
        self.began = time.monotonic()
        self.sample(first=True)

    def _part(self, pid: int, name: str, command: str, app: set[int]) -> str | None:
        if pid == os.getpid():
            return "loadgen"
        if pid in app or (self.master is None and "gunicorn" in command):
            return "app"
        return next((part for part, names in PART_NAMES.items() if name in names), None)

    def sample(self, first: bool = False) -> None:
        app = {self.master, *worker_pids(self.master)} if self.master is not None else set()
        for pid, (name, command) in _processes().items():
            part = self._part(pid, name, command, app)
            ticks = _ticks(pid) if part else None
            if part is None or ticks is None:
                continue
            if first:
                self.seen[pid] = ticks  # the window starts now: what the process used before is not counted
                continue
            self.totals[part] += ticks - self.seen.get(pid, 0)
            self.seen[pid] = ticks

    def seconds(self) -> dict[str, float]:
        """CPU seconds each part used since the watch began."""
        self.sample()
        ticks = os.sysconf("SC_CLK_TCK")
        return {part: total / ticks for part, total in self.totals.items()}

    def shares(self) -> dict[str, float]:
        """Each part's share of the machine's CPU (all cores: 1.0 is every core busy)."""
        seconds, elapsed = self.seconds(), time.monotonic() - self.began
        cores = os.cpu_count() or 1
        return {part: round(used / elapsed / cores, 3) for part, used in seconds.items()}


def summarize(latencies: list[float], elapsed: float) -> dict[str, float]:
    """Rate and percentiles (ms) of a list of latencies (s) measured over `elapsed` seconds."""
    ordered = sorted(latencies) or [0.0]

    def pick(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)

    return {"rps": round(len(latencies) / elapsed, 1), "p50_ms": pick(0.5), "p95_ms": pick(0.95), "p99_ms": pick(0.99)}


@dataclass
class Measure:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU seconds of each part during the measure

    def merge(self, other: Measure) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.elapsed += other.elapsed
        for part, seconds in other.cpu_s.items():
            self.cpu_s[part] = self.cpu_s.get(part, 0.0) + seconds

    def summary(self) -> dict[str, float]:
        return summarize(self.latencies, self.elapsed)

    def cpu_ms_per_request(self) -> dict[str, float]:
        """CPU milliseconds of each part (app, PostgreSQL, Redis, load generator) per answered request."""
        answered = max(1, len(self.latencies))
        return {part: round(seconds * 1000 / answered, 2) for part, seconds in self.cpu_s.items()}


METRICS_PROBE = """
import time
from contest import metrics
assert metrics.MULTIPROCESS
count = 20000
began = time.process_time()
for _ in range(count):
    metrics.observe(metrics.SAVE_ENDPOINT, "PUT", 200, 0.003)
    metrics.saved()
print((time.process_time() - began) / count * 1000)
"""


def metrics_cost_ms_per_save() -> float:
    """CPU milliseconds a save spends on /metrics' counting (a request counted, its time observed, a save counted),
    in prometheus_client's multiprocess mode as under gunicorn: measured in a process of its own."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-metrics-") as folder:
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": folder}
        done = subprocess.run(
            [sys.executable, "-c", METRICS_PROBE], env=env, capture_output=True, text=True, check=True, cwd=ROOT
        )
    return round(float(done.stdout.strip()), 4)
