"""The big screen says the round's own figures under the round's heading (#26 item 5): its participants, attempts
and full scores (full scores of people in the contest's tables), units only where someone took part and the
headcount is known, and, once the round is over, when it ended."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import distinct, func, select

from contest.models import Attempt, Round
from tests.helpers import csrf_token


def test_the_screen_shows_the_featured_rounds_figures_and_only_units_that_took_part(runner, app, session, clock):  # type: ignore[no-untyped-def]
    runner.invoke(args=["demo"])
    current = session.get(Round, 1)
    people, attempts = session.execute(
        select(func.count(distinct(Attempt.user_id)), func.count(Attempt.id)).where(Attempt.round_id == current.id)
    ).one()
    in_contest = session.scalar(select(func.count(distinct(Attempt.user_id))))
    assert in_contest > people  # last week's round had people of its own
    data = app.test_client().get("/api/contests/cds-2026/screen").get_json()
    assert data["round"]["name"] == "Tuần 2" and data["round"]["closed_at"] is None
    assert (data["stats"]["participants"], data["stats"]["attempts"]) == (people, attempts)
    assert data["units"] and all(unit["participants"] > 0 and unit["headcount"] > 0 for unit in data["units"])


def test_a_round_closed_early_shows_when_it_ended(runner, app, session, clock):  # type: ignore[no-untyped-def]
    runner.invoke(args=["demo"])
    organizer = app.test_client()
    organizer.post("/login", data={"phone": "0900000001", "password": "Demo@2026", "csrf_token": csrf_token(organizer)})
    closed = organizer.post("/admin/rounds/1/close", data={"csrf_token": csrf_token(organizer), "confirmed": "1"})
    assert closed.status_code == 302
    round_ = session.get(Round, 1)
    session.refresh(round_)
    assert round_.closed_at is not None and round_.closed_at < round_.closes_at - timedelta(days=1)
    clock.advance(seconds=10)  # past the screen's few seconds of cache
    page = app.test_client().get("/contests/cds-2026/screen").get_data(as_text=True)
    shown = round_.closed_at + timedelta(hours=7)
    assert f"Kết thúc lúc {shown:%d/%m/%Y %H:%M}" in page
