"""Public endpoints under load (#14 hole 7): a bounded per-process cache with expiry and per-key locks, bounded
arguments, the heavy public pages computed once per few seconds, and a default limit per caller."""

from __future__ import annotations

import threading
import time

from contest.services.people.accounts import create_user
from contest.services.ranking import bulletin, contest_ranking, leaderboard
from contest.services.shared import cache
from contest.services.shared.cache import ProcessCache
from tests.helpers import csrf_token


def test_the_process_cache_holds_a_bounded_amount_whatever_is_asked() -> None:
    store = ProcessCache(max_chars=20_000)
    for number in range(5_000):  # an attacker asking for 5,000 distinct pages
        store.get_or_compute(f"board:1:50:{number}", 60, lambda: "x" * 100)
    assert 0 < len(store) <= 20_000 // (100 + cache.ENTRY_OVERHEAD)
    assert store.get("board:1:50:4999") == "x" * 100  # the newest stay, the oldest went


def test_a_copy_expires_after_its_own_time() -> None:
    store = ProcessCache()
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return str(len(calls))

    assert store.get_or_compute("short", 0.05, compute) == "1"
    assert store.get_or_compute("long", 60, compute) == "2"
    time.sleep(0.1)
    assert store.get_or_compute("short", 0.05, compute) == "3"
    assert store.get_or_compute("long", 60, compute) == "2"


def test_one_computation_per_key_and_a_slow_key_never_holds_up_another() -> None:
    store = ProcessCache()
    slow_started, other_done = threading.Event(), threading.Event()
    slow_key = "slow"
    stripe = hash(slow_key) % cache.LOCK_STRIPES
    other_key = next(f"other{n}" for n in range(1000) if hash(f"other{n}") % cache.LOCK_STRIPES != stripe)
    computed: list[str] = []

    def slow() -> str:
        computed.append(slow_key)
        slow_started.set()
        # a single lock for all keys would make this wait forever: the other key could not be computed
        assert other_done.wait(5), "another key's reader was blocked by a slow computation"
        return "slow"

    readers = [threading.Thread(target=store.get_or_compute, args=(slow_key, 60, slow)) for _ in range(8)]
    for reader in readers:
        reader.start()
    assert slow_started.wait(5)
    assert store.get_or_compute(other_key, 60, lambda: "fast") == "fast"
    other_done.set()
    for reader in readers:
        reader.join(5)
    assert computed == [slow_key]  # eight readers, one computation
    assert store.get(slow_key) == "slow"


def _same_stripe_keys(count: int) -> list[str]:
    stripe = hash("outer") % cache.LOCK_STRIPES
    inner = [f"inner{n}" for n in range(10_000) if hash(f"inner{n}") % cache.LOCK_STRIPES == stripe]
    return ["outer", *inner[:count]]


def test_a_computation_may_read_another_key_of_its_own_stripe() -> None:
    """A board's API computes its cached table page inside its own computation: when both keys fall in one
    stripe, the same thread must get through (a plain lock made the worker wait on itself for ever)."""
    store = ProcessCache()
    outer, inner = _same_stripe_keys(1)
    done: list[str] = []
    worker = threading.Thread(
        target=lambda: done.append(
            store.get_or_compute(outer, 60, lambda: store.get_or_compute(inner, 60, lambda: "in"))
        )
    )
    worker.start()
    worker.join(5)
    assert done == ["in"]


def test_two_threads_nesting_keys_in_opposite_stripes_never_wait_for_ever(monkeypatch) -> None:
    monkeypatch.setattr(cache, "STRIPE_WAIT_S", 0.3)
    store = ProcessCache()
    first = "a"
    second = next(
        f"b{n}" for n in range(1000) if hash(f"b{n}") % cache.LOCK_STRIPES != hash(first) % cache.LOCK_STRIPES
    )
    both_inside = threading.Barrier(2)
    results: list[str] = []

    def nested(outer: str, inner: str) -> None:
        def compute() -> str:
            both_inside.wait(5)  # each holds its own stripe, then asks for the other's
            return store.get_or_compute(inner, 60, lambda: f"{inner}!")

        results.append(store.get_or_compute(outer, 60, compute))

    threads = [
        threading.Thread(target=nested, args=(first, second)),
        threading.Thread(target=nested, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    # both get through (each, after a short wait, computes the other's key itself) instead of waiting for ever
    assert len(results) == 2 and not any(thread.is_alive() for thread in threads)


def test_an_offset_past_any_board_makes_no_new_cache_entry(contest_day, client, app) -> None:
    round_id = contest_day.round.id
    for offset in (leaderboard.MAX_OFFSET, 10**7, 10**12, 2**40):
        response = client.get(f"/api/rounds/{round_id}/leaderboard?offset={offset}")
        assert response.status_code == 200 and response.get_json()["entries"] == []
    keys = [key for key in cache.process_cache().entries if f"board:{round_id}:" in key]
    assert len(keys) == 1, keys


def test_a_unit_code_longer_than_any_is_a_404(contest_day, client) -> None:
    response = client.get(f"/api/rounds/{contest_day.round.id}/units?parent={'x' * 5000}")
    assert response.status_code == 404
    page = client.get(f"/contests/cds/leaderboard?parent={'x' * 5000}")
    assert page.status_code == 404


def _count_calls(monkeypatch, module, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(module, name)

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_the_heavy_public_pages_are_computed_once_for_many_readers(contest_day, client, monkeypatch) -> None:
    whole = _count_calls(monkeypatch, contest_ranking, "contest_individuals")
    search = _count_calls(monkeypatch, leaderboard, "search_entries")
    units = _count_calls(monkeypatch, bulletin, "bulletin_with_increase")
    for _ in range(5):
        assert "Trần V. B." in client.get("/contests/cds/leaderboard?round=all").get_data(as_text=True)
        assert "Trần V. B." in client.get("/contests/cds/leaderboard?q=Trần").get_data(as_text=True)
        assert client.get("/contests/cds/leaderboard?q=  TRẦN ").status_code == 200  # same words: same entry
        assert client.get("/contests/cds/bulletin?date=2026-10-10&hour=17").status_code == 200
        assert client.get("/contests/cds/bulletin.xlsx?date=2026-10-10&hour=17").status_code == 200
    assert (len(whole), len(search), len(units)) == (1, 1, 1)


def test_a_search_longer_than_the_cap_is_cut(contest_day, client) -> None:
    response = client.get("/contests/cds/leaderboard?q=" + "Trần " + "a" * 10_000)
    assert response.status_code == 200
    keys = [key for key in cache.process_cache().entries if ":search:" in key]
    assert keys and all(len(key) < leaderboard.MAX_SEARCH + 60 for key in keys)


def test_visitors_have_a_default_limit_per_address(make_app, session) -> None:
    app = make_app(DEFAULT_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI="memory://")
    client = app.test_client()
    statuses = [client.get("/api/contests/nothing/stats").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    refused = client.get("/api/contests/nothing/stats", headers={"Accept-Language": "vi"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "quá nhiều yêu cầu" in refused.get_json()["message"]
    # another address has its own count; /ping and /healthz are never limited
    other = client.get("/api/contests/nothing/stats", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 404
    assert all(client.get("/ping").status_code == 200 for _ in range(10))


def test_signed_in_accounts_are_not_counted_by_the_default_limit(make_app, session, clock) -> None:
    for phone in ("0912000001", "0912000002"):
        create_user(session, name="Người Thử", phone=phone, password="mat-khau-123", unit=None, now=clock())
    session.commit()
    app = make_app(DEFAULT_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI="memory://")
    for phone in ("0912000001", "0912000002"):
        client = app.test_client()
        client.post(
            "/api/session",
            json={"phone": phone, "password": "mat-khau-123"},
            headers={"X-CSRFToken": csrf_token(client)},
        )
        statuses = [client.get("/api/csrf").status_code for _ in range(5)]
        assert statuses == [200] * 5, phone  # over the visitors' 3 a minute, from the same address
