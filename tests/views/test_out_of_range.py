"""Numbers beyond what the database holds: PostgreSQL refuses them with an error, so every address and
form keeps them in range and answers 404 or a message, never 500 (this suite runs on both databases)."""

from __future__ import annotations

from sqlalchemy import select

from contest.models import Round
from tests.conftest import DEMO_DATA, csrf_token
from tests.factories import make_user

HUGE = "99999999999999999999"


def test_ids_beyond_the_integer_range_are_not_found(runner, app, session, clock) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    make_user(session, clock(), phone="0900000009", role="organizer")
    session.commit()
    client = app.test_client()
    client.post("/login", data={"phone": "0900000009", "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    for url in (
        f"/admin/rounds/{HUGE}",
        f"/admin/rounds/{HUGE}/monitor.json",
        f"/admin/banks/{HUGE}",
        f"/admin/questions/{HUGE}/edit",
        f"/rounds/{HUGE}/take",
        f"/api/rounds/{HUGE}/leaderboard",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/contests/cds-2026/leaderboard?page={HUGE}",
        f"/admin/audit?page={HUGE}",
        f"/admin/banks/1?page={HUGE}",
        f"/api/rounds/1/leaderboard?offset={HUGE}&limit={HUGE}",
        f"/api/units?q=so&limit={HUGE}",
    ):
        assert client.get(url).status_code == 200, url
    assert len(client.get(f"/api/units?q=x&limit={HUGE}").get_json()["entries"]) <= 20
    refused = client.post(
        "/admin/rounds/1/disqualify",
        data={"attempt": HUGE, "reason": "Thi hộ người khác", "csrf_token": csrf_token(client)},
    )
    assert refused.status_code == 400 and "Vui lòng nhập số của bài thi" in refused.get_data(as_text=True)
    answer = client.put(
        f"/api/attempts/{HUGE}/answers/1", json={"options": [1]}, headers={"X-CSRFToken": csrf_token(client)}
    )
    assert answer.status_code == 404


def test_round_numbers_have_sensible_upper_bounds(runner, session) -> None:
    runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")])
    runner.invoke(args=["contest", "create", "--slug", "cds", "--title", "Thi"])
    times = ["--opens", "2026-10-10T08:00", "--closes", "2026-10-17T08:00"]
    for option, value, message in (
        ("--minutes", HUGE, "The time limit is at most 1440 minutes."),
        ("--attempts", "1001", "A round allows at most 1000 attempts."),
        ("--questions", "501", "A round has at most 500 questions."),
    ):
        result = runner.invoke(args=["round", "create", "--contest", "cds", "--name", "Tuần 1", *times, option, value])
        assert result.exit_code == 1 and message in result.output, (option, result.output)
    assert session.scalar(select(Round.id)) is None
