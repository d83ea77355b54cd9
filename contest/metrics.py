"""`GET /metrics`: what the people running the servers watch on the day, in Prometheus' text format
(prometheus_client, the Prometheus project's own library).

Only with `Authorization: Bearer <METRICS_TOKEN>`; without the setting, or with another token, the address does
not exist (404), and nginx's site file refuses it from outside as well. Under gunicorn every worker counts into
files of its own (prometheus_client's multiprocess mode, `PROMETHEUS_MULTIPROC_DIR`, set by gunicorn.conf.py), and a
scrape answered by any worker sums them all. docs/operations.md says what to alert on.

- `contest_requests_total{endpoint, method, status}` and `contest_request_seconds{endpoint}`: every request the app
  answers, by its route (`/api/attempts/<int:attempt_id>/answers/<int:position>`, not the address: ids would make a
  series each), 4xx, 5xx and 503 included; saves answered in front of Flask (`contest.fast_save`) too;
- `contest_saves_total`: answers stored (its rate is the saves per second);
- `contest_requests_in_progress`, `contest_db_pool_checked_out`, `contest_db_pool_size`: each worker's, summed;
- at each scrape: `contest_database_up`, `contest_redis_up`, `contest_attempts_in_progress`."""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from contest.extensions import db

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
SAVE_ENDPOINT = "/api/attempts/<int:attempt_id>/answers/<int:position>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "contest_requests", "Requests answered, by route, method and status", ["endpoint", "method", "status"]
)
LATENCY = Histogram("contest_request_seconds", "Time to answer, by route", ["endpoint"], buckets=LATENCY_BUCKETS)
SAVES = Counter("contest_saves", "Answers stored")
IN_PROGRESS = Gauge("contest_requests_in_progress", "Requests being answered", multiprocess_mode="livesum")
POOL_CHECKED_OUT = Gauge(
    "contest_db_pool_checked_out", "Database connections in use by the app", multiprocess_mode="livesum"
)
POOL_SIZE = Gauge("contest_db_pool_size", "Database connections each pool keeps", multiprocess_mode="livesum")


def observe(endpoint: str, method: str, status: int, seconds: float | None) -> None:
    """One answer counted (a made-up method as "other": not a series of its own), and its time when known."""
    REQUESTS.labels(endpoint, method if method in METHODS else "other", str(status)).inc()
    if seconds is not None:
        LATENCY.labels(endpoint).observe(seconds)


def saved() -> None:
    SAVES.inc()


class HealthCollector(Collector):
    """Read at each scrape: whether the database and Redis answer, and the attempts running now."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        database_up, attempts = 0.0, 0.0
        try:
            from contest.models import Attempt

            attempts = float(
                db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.status == "in_progress")) or 0
            )
            database_up = 1.0
        except Exception:  # a scrape during an outage must still answer, saying the database is down
            db.session.rollback()
        redis_up = 0.0
        client = self.app.extensions.get("redis_client")
        if client is not None:
            try:
                redis_up = 1.0 if client.ping() else 0.0
            except Exception:
                redis_up = 0.0
        yield GaugeMetricFamily("contest_database_up", "1 when the database answered this scrape", value=database_up)
        yield GaugeMetricFamily(
            "contest_redis_up", "1 when Redis answered this scrape (0 also when none is configured)", value=redis_up
        )
        yield GaugeMetricFamily("contest_attempts_in_progress", "Attempts started and not finished", value=attempts)


def _registry(app: Flask) -> CollectorRegistry:
    """What a scrape reads: every worker's files under gunicorn, this process's counts otherwise."""
    registry = CollectorRegistry()
    if MULTIPROCESS:
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        for collector in (REQUESTS, LATENCY, SAVES, IN_PROGRESS, POOL_CHECKED_OUT, POOL_SIZE):
            registry.register(collector)
    registry.register(HealthCollector(app))
    return registry


def _authorized() -> bool:
    token = str(current_app.config.get("METRICS_TOKEN") or "")
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def init_app(app: Flask) -> None:
    from contest.extensions import limiter

    @app.before_request
    def start_timer() -> None:
        g.metrics_started = time.perf_counter()
        IN_PROGRESS.inc()

    @app.after_request
    def count(response: Response) -> Response:
        """Every answer, refusals by an earlier hook (a 429 from the limiter) included; their time when known."""
        if g.get("only_headers"):
            return response
        started = g.pop("metrics_started", None)
        if started is not None:
            IN_PROGRESS.dec()
        rule = request.url_rule
        seconds = time.perf_counter() - started if started is not None else None
        observe(rule.rule if rule is not None else "unmatched", request.method, response.status_code, seconds)
        if response.status_code == 200 and request.endpoint == "api.save_answer":
            saved()
        return response

    @app.teardown_request
    def pool_gauges(_error: BaseException | None = None) -> None:
        pool: Any = db.engine.pool
        POOL_CHECKED_OUT.set(pool.checkedout() if hasattr(pool, "checkedout") else 0)
        POOL_SIZE.set(pool.size() if hasattr(pool, "size") else 0)

    @limiter.exempt
    def metrics() -> Response:
        if not _authorized():
            abort(404)
        registry = app.extensions.get("metrics_registry")
        if registry is None:
            registry = app.extensions["metrics_registry"] = _registry(app)
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])
