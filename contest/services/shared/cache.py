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
from cachetools import TLRUCache
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from contest.extensions import redis_client

STALE_FACTOR = 30
PROCESS_CACHE_CHARS = 64 * 1024 * 1024  # what one process keeps at most, in characters of JSON
ENTRY_OVERHEAD = 256  # a key and its bookkeeping, counted so that many tiny entries are bounded too
LOCK_STRIPES = 64
# How long a reader waits for another's computation of the same stripe before computing for itself. A page may
# compute another cached value inside its own (a board's API reads its cached table page): with two stripes held
# in opposite orders by two threads, waiting forever would be a deadlock; waiting this long, only a spare query.
STRIPE_WAIT_S = 5.0


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

        return _cached_in_process(_local_name(key, shared=True), min(ttl_s, LOCAL_TTL_S), shared)
    return _cached_in_process(_local_name(key, shared=False), ttl_s, lambda: _encode(compute()))


def _local_name(key: str, *, shared: bool) -> str:
    """The name of a key's copy in this process: a copy of Redis's shared value, or the process's own value."""
    return f"shared:{key}" if shared else key


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


class ProcessCache:
    """Each process's own copies: bounded in size (an attacker asking for many distinct pages evicts the
    oldest, never grows memory), each copy expiring after its own TTL, and one computation per key at a
    time (a lock per stripe of keys, so a slow page never holds up another key's readers). A stripe's lock is
    re-entrant (a computation may read another key of the same stripe) and waited for at most STRIPE_WAIT_S."""

    def __init__(self, max_chars: int = PROCESS_CACHE_CHARS, stripes: int = LOCK_STRIPES) -> None:
        self.entries: TLRUCache[str, tuple[float, str]] = TLRUCache(
            maxsize=max_chars,
            ttu=lambda _key, value, now: now + value[0],
            timer=time.monotonic,
            getsizeof=lambda value: len(value[1]) + ENTRY_OVERHEAD,
        )
        self.guard = threading.Lock()  # cachetools caches are not thread-safe themselves
        self.stripes = [threading.RLock() for _ in range(stripes)]

    def get(self, key: str) -> str | None:
        with self.guard:
            hit = self.entries.get(key)
        return hit[1] if hit is not None else None

    def get_or_compute(self, key: str, ttl_s: float, compute: Callable[[], str]) -> str:
        hit = self.get(key)
        if hit is not None:
            return hit
        stripe = self.stripes[hash(key) % len(self.stripes)]
        held = stripe.acquire(timeout=STRIPE_WAIT_S)
        try:
            hit = self.get(key)
            if hit is not None:
                return hit
            value = compute()
            if len(value) + ENTRY_OVERHEAD <= self.entries.maxsize:
                with self.guard:
                    self.entries[key] = (ttl_s, value)
            return value
        finally:
            if held:
                stripe.release()

    def forget(self, prefix: str) -> None:
        with self.guard:
            for key in [key for key in self.entries if key.startswith(prefix)]:
                self.entries.pop(key, None)

    def __len__(self) -> int:
        with self.guard:
            return len(self.entries)


def process_cache() -> ProcessCache:
    cache: ProcessCache | None = current_app.extensions.get("process_cache")
    if cache is None:  # the first reader of this app in this process (a rare race only makes a spare one)
        cache = current_app.extensions.setdefault("process_cache", ProcessCache())
    return cache


def _cached_in_process(key: str, ttl_s: float, compute: Callable[[], str]) -> str:
    return process_cache().get_or_compute(key, ttl_s, compute)


def forget(prefix: str) -> None:
    """Drop every cached value whose key starts with `prefix` (after an organizer's change)."""
    client = redis_client()
    if client is not None:
        with contextlib.suppress(redis.RedisError):
            names = list(client.scan_iter(match=f"cache:{prefix}*", count=500))
            if names:
                client.delete(*names)
    store = process_cache()
    store.forget(_local_name(prefix, shared=False))
    store.forget(_local_name(prefix, shared=True))


_FORGET_AFTER_COMMIT = "forget_after_commit"


def forget_at_commit(session: Session, prefix: str) -> None:
    """`forget(prefix)` now and again once the session's transaction is committed: a reader that computed the value
    in between, from what was committed before the change, would otherwise keep the old value for its TTL."""
    forget(prefix)
    session.info.setdefault(_FORGET_AFTER_COMMIT, set()).add(prefix)


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    prefixes = session.info.pop(_FORGET_AFTER_COMMIT, None)
    if prefixes and has_app_context():
        for prefix in prefixes:
            forget(prefix)


def held_copy(app: Flask, key: str) -> str | None:
    """What `cached_json(key, ...)` would answer from this process's own copy, if it holds one (no round trip, no
    request context: the fast path in front of Flask reads it)."""
    store: ProcessCache | None = app.extensions.get("process_cache")
    if store is None:
        return None
    return store.get(_local_name(key, shared=app.extensions.get("redis_client") is not None))
