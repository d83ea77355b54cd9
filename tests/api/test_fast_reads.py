"""The board reads' fast path (contest/fast_reads.py): a read whose answer this process holds is answered in front
of Flask's hooks, with the body and headers the app gives; every other request reaches the app."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from contest.api import boards
from contest.services.ranking import live_counts
from contest.services.ranking.board_settings import set_board_hidden
from contest.services.shared import cache
from contest.services.shared.audit import Actor
from tests.helpers import participant_client


@pytest.fixture(autouse=True)
def lasting_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Copies kept a minute: a slow machine between two requests must not make the second one a miss."""
    monkeypatch.setattr(cache, "LOCAL_TTL_S", 60.0)
    monkeypatch.setattr(boards, "BOARD_TTL_S", 60.0)
    monkeypatch.setattr(boards, "UNITS_TTL_S", 60.0)
    monkeypatch.setattr(live_counts, "STATS_TTL_S", 60.0)
    monkeypatch.setattr(live_counts, "SCREEN_TTL_S", 60.0)


def _reads(contest_day) -> list[str]:  # type: ignore[no-untyped-def]
    round_id, slug = contest_day.round.id, contest_day.round.contest.slug
    return [
        f"/api/rounds/{round_id}/leaderboard?limit=3&offset=1",
        f"/api/rounds/{round_id}/leaderboard",
        f"/api/rounds/{round_id}/units",
        f"/api/contests/{slug}/stats",
        f"/api/contests/{slug}/screen",
    ]


def _headers(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {name: value for name, value in response.headers if name not in ("Content-Length", "Set-Cookie")}


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_held_read_is_answered_before_the_apps_hooks_as_the_app_answers_it(app, contest_day, hooks, scheme) -> None:
    base = f"{scheme}://localhost"
    for path in _reads(contest_day):
        hooks.clear()
        through_app = app.test_client().get(path, base_url=base)
        assert hooks == [path.split("?")[0]]  # the first read computes it in the app
        hooks.clear()
        fast = app.test_client().get(path, base_url=base)
        assert hooks == [], path  # the second is the copy, answered in front of Flask
        assert fast.status_code == through_app.status_code == 200
        assert fast.get_data() == through_app.get_data()
        assert _headers(fast) == _headers(through_app)
        assert fast.headers["Cache-Control"] == "public, max-age=2"
        assert ("Strict-Transport-Security" in fast.headers) == (scheme == "https")
        assert int(fast.headers["Content-Length"]) == len(fast.get_data())
        assert "Set-Cookie" not in fast.headers


def test_a_signed_in_viewer_gets_the_same_answer_both_ways(app, contest_day, hooks, session, clock) -> None:
    viewer = participant_client(app, session, clock, "0911000099", contest_day.unit, "Người Xem")
    path = f"/api/rounds/{contest_day.round.id}/leaderboard?limit=5"
    through_app = viewer.get(path)
    hooks.clear()
    fast = viewer.get(path)
    assert hooks == []
    assert fast.get_json() == through_app.get_json() and _headers(fast) == _headers(through_app)


def test_the_same_page_asked_another_way_is_the_same_copy_and_other_requests_reach_the_app(
    app, contest_day, hooks
) -> None:
    round_id = contest_day.round.id
    client = app.test_client()
    first = client.get(f"/api/rounds/{round_id}/leaderboard?limit=50")
    hooks.clear()
    # an unreadable or out-of-range number is read as the app reads it: the same page, the same copy
    for same in ("limit=abc", "limit=50&offset=-3", "offset=0&limit=50", "table="):
        answer = client.get(f"/api/rounds/{round_id}/leaderboard?{same}")
        assert answer.get_data() == first.get_data(), same
    assert hooks == []
    cases = [
        ("GET", f"/api/rounds/{round_id}/leaderboard?table=Z", 404),  # no such table: the app's 404
        ("GET", f"/api/rounds/0{round_id}/leaderboard", None),  # not the way the views' keys write it
        ("GET", f"/api/rounds/{round_id}/leaderboard?limit=7", 200),  # another page: not held yet
        ("HEAD", f"/api/rounds/{round_id}/leaderboard", 200),
        ("POST", f"/api/rounds/{round_id}/leaderboard", 405),
        ("GET", f"/api/rounds/{round_id}/units?parent=NOPE", 404),
        ("GET", "/api/contests/no-such-contest/stats", 404),
        ("GET", f"/api/contests/{contest_day.round.contest.slug}/stats?x=1", 200),
        ("GET", f"/api/rounds/{round_id}/leaderboard?limit=50&lang=en", 200),  # the app remembers the language
        ("GET", f"/api/rounds/{round_id}/leaderboard?limit=50&x=%00", 400),  # the app's NUL guard
        ("GET", f"/api/rounds/{round_id}/leaderboard?limit=%00", 400),
        ("GET", f"/api/rounds/{round_id}/units?parent=&limit=3", 200),
        ("GET", f"/api/rounds/{round_id + 1000}/leaderboard", 404),
    ]
    for method, path, status in cases:
        hooks.clear()
        answer = client.open(path, method=method)
        assert hooks == [path.split("?")[0]], path
        if status is not None:
            assert answer.status_code == status, path


def test_an_organizers_change_is_seen_at_once_not_served_from_the_old_copy(
    app, contest_day, hooks, session, clock
) -> None:
    path = f"/api/rounds/{contest_day.round.id}/leaderboard"
    client = app.test_client()
    assert client.get(path).status_code == 200 and client.get(path).status_code == 200
    set_board_hidden(session, contest_day.round, True, actor=Actor.command_line(), now=clock())
    session.commit()
    hooks.clear()
    hidden = client.get(path)
    assert hooks == [path]  # the copy was dropped with the change: the app answers
    assert hidden.status_code == 404 and hidden.get_json()["error"] == "board_hidden"


def test_reads_answered_in_front_of_flask_are_counted_under_their_route(app, contest_day) -> None:
    app.config["METRICS_TOKEN"] = "t"
    path = f"/api/contests/{contest_day.round.contest.slug}/screen"
    client = app.test_client()

    def screens() -> float:
        text = client.get("/metrics", headers={"Authorization": "Bearer t"}).get_data(as_text=True)
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "contest_requests_total"
            and sample.labels == {"endpoint": "/api/contests/<slug>/screen", "method": "GET", "status": "200"}
        )

    before = screens()
    for _ in range(3):
        assert client.get(path).status_code == 200
    assert screens() - before == 3
