"""Input the database cannot hold (numbers beyond its integer range, the NUL character, days outside any
contest): PostgreSQL refuses them with an error where SQLite stores or ignores them, so the app answers
404 or 400 with a message first, never 500 (this suite runs on both databases)."""

from __future__ import annotations

from sqlalchemy import select

from contest.models import Round, Unit
from tests.factories import make_user
from tests.helpers import DEMO_DATA, csrf_token

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
    assert refused.status_code == 400 and "Vui lòng nhập mã bài thi" in refused.get_data(as_text=True)
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


def test_the_nul_character_is_refused_in_addresses_forms_and_json(runner, client, session) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    message = "Nội dung có một ký tự điều khiển vô hình (NUL)"
    for response in (
        client.get("/contests/cds-2026/leaderboard?q=Ng%00"),
        client.get("/api/units?q=so%00"),
        client.post("/login", data={"phone": "0900\x00000002", "password": "x", "csrf_token": csrf_token(client)}),
        client.post(
            "/api/participants",
            json={"name": "Lê\u0000 Văn", "phone": "0912000111", "password": "mat-khau-123", "unit_code": "HBX"},
            headers={"X-CSRFToken": csrf_token(client)},
        ),
    ):
        shown = response.get_json()["message"] if response.is_json else response.get_data(as_text=True)
        assert response.status_code == 400 and message in shown
    assert client.get("/contests/cds-2026/leaderboard?q=Ng").status_code == 200


def test_nul_characters_in_a_file_are_dropped(runner, session, tmp_path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes("code,parent_code,name,kind,headcount\nP1,,Tỉnh\x00 A,province,10\n".encode())
    assert runner.invoke(args=["units", "import", str(path)]).exit_code == 0
    assert session.scalar(select(Unit.name)) == "Tỉnh A"


def test_bulletin_days_and_hours_outside_any_contest_are_bad_requests(runner, client) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert client.get(f"/contests/cds-2026/bulletin?hour={HUGE}").status_code == 400
    assert client.get("/contests/cds-2026/bulletin?hour=24").status_code == 400
    assert client.get("/contests/cds-2026/bulletin.xlsx?date=0001-01-01").status_code == 400
    assert client.get("/contests/cds-2026/bulletin?date=2026-10-10&hour=23").status_code == 200


def test_digits_int_refuses_and_huge_counts_are_messages(runner, app, session, clock, tmp_path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("code,parent_code,name,kind,headcount\nP1,,Tỉnh A,province,99999999999999\n", encoding="utf-8")
    result = runner.invoke(args=["units", "import", str(path)])
    assert result.exit_code == 1 and "must be a whole number from 0 to 200000000" in result.output
    assert runner.invoke(args=["demo"]).exit_code == 0
    make_user(session, clock(), phone="0900000009", role="organizer")
    session.commit()
    client = app.test_client()
    client.post("/login", data={"phone": "0900000009", "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    # "²".isdigit() is True but int("²") fails; int() refuses more than 4,300 digits; a typo of many zeros
    for first in ("²", "9" * 5000, "1000000000000"):
        response = client.post("/admin/rounds/1/prizes", data={"first": first, "csrf_token": csrf_token(client)})
        assert response.status_code == 302, first
        assert "từ 0 đến 100000" in client.get("/admin/rounds/1").get_data(as_text=True)
    session.expire_all()
    assert session.get(Round, 1).prize_plan["first"] == 1  # the demo's plan is untouched
    for questions in ("²", "9" * 5000):
        form = {"name": "Tuần 2", "opens": "2026-10-10T08:00", "closes": "2026-10-17T08:00", "questions": questions}
        refused = client.post("/admin/contests/cds-2026/rounds/new", data={**form, "csrf_token": csrf_token(client)})
        assert refused.status_code == 400 and "Vui lòng nhập số nguyên" in refused.get_data(as_text=True)
    form = {"attempt": "9" * 5000, "reason": "Thi hộ người khác", "csrf_token": csrf_token(client)}
    assert client.post("/admin/rounds/1/disqualify", data=form).status_code == 400


def test_a_nul_in_the_path_is_refused_with_a_message(client) -> None:
    """PostgreSQL cannot compare a NUL in a slug (found by the fuzz run on PostgreSQL: a 500)."""
    for path in ("/contests/%00", "/contests/cds%00x/leaderboard", "/api/contests/%00/stats"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "NUL" in response.get_data(as_text=True)
