"""Short-lived shared caches for what thousands of screens poll: one reader computes, the others
serve the previous copy meanwhile, so a miss never makes every reader recompute at once."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import current_app

from contest.extensions import redis_client

STALE_FACTOR = 30


def cached(key: str, ttl_s: float, compute: Callable[[], Any]) -> Any:
    """The value compute() gives, at most ttl_s old."""
    return json.loads(cached_json(key, ttl_s, compute))


LOCAL_TTL_S = 0.5  # each process keeps a shared copy this long: a hot board costs no round trip at all


def cached_json(key: str, ttl_s: float, compute: Callable[[], Any]) -> str:
    """The same, as JSON text: a response can send it as it is, with no database query at all."""
    client = redis_client()
    if client is not None:

        def shared() -> str:
            try:
                return _cached_in_redis(client, key, ttl_s, compute)
            except redis.RedisError:
                return _encode(compute())  # Redis is down: this process computes for itself

        return _cached_in_process(f"shared:{key}", min(ttl_s, LOCAL_TTL_S), shared)
    return _cached_in_process(key, ttl_s, lambda: _encode(compute()))


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _cached_in_redis(client: redis.Redis, key: str, ttl_s: float, compute: Callable[[], Any]) -> str:
    fresh = client.get(f"cache:{key}")
    if fresh is not None:
        return _text(fresh)
    if client.set(f"cache:{key}:lock", "1", nx=True, ex=max(5, int(ttl_s * 5))):
        try:
            encoded = _encode(compute())
            pipe = client.pipeline(transaction=False)
            pipe.set(f"cache:{key}", encoded, px=int(ttl_s * 1000))
            pipe.set(f"cache:{key}:stale", encoded, px=int(ttl_s * 1000 * STALE_FACTOR))
            pipe.execute()
            return encoded
        finally:
            client.delete(f"cache:{key}:lock")
    stale = client.get(f"cache:{key}:stale")
    return _text(stale) if stale is not None else _encode(compute())


def _cached_in_process(key: str, ttl_s: float, compute: Callable[[], str]) -> str:
    store: dict[str, tuple[float, str]] = current_app.extensions.setdefault("process_cache", {})
    lock: threading.Lock = current_app.extensions.setdefault("process_cache_lock", threading.Lock())
    now = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    with lock:
        hit = store.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        value = compute()
        store[key] = (time.monotonic() + ttl_s, value)
        return value


def forget(prefix: str) -> None:
    """Drop every cached value whose key starts with `prefix` (after an organizer's change)."""
    client = redis_client()
    if client is not None:
        with contextlib.suppress(redis.RedisError):
            names = list(client.scan_iter(match=f"cache:{prefix}*", count=500))
            if names:
                client.delete(*names)
    store = current_app.extensions.get("process_cache", {})
    for key in [key for key in store if key.startswith(prefix) or key.startswith(f"shared:{prefix}")]:
        store.pop(key, None)
