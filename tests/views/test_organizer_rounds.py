"""Organizers run a round in the browser: board freeze and visibility, prizes, closing, results, audit log."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from contest.models import AuditEntry, RankingEntry, Round, User
from contest.services.people.accounts import create_user
from tests.factories import add_member, first_body
from tests.helpers import csrf_token, participant_client, take_round


@pytest.fixture
def organizer_client(app, session, clock):  # type: ignore[no-untyped-def]
    user = create_user(
        session, name="Ban Tổ chức", phone="0900000001", password="mat-khau-123", role="organizer", now=clock()
    )
    add_member(session, first_body(session, clock()), user, "manager", clock())
    session.commit()
    client = app.test_client()
    client.post("/login", data={"phone": "0900000001", "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    return client


@pytest.fixture
def five_done(app, session, clock, quiz):  # type: ignore[no-untyped-def]
    quiz.round.contest.scope_unit = None
    quiz.round.max_attempts = None
    session.commit()
    for index, correct in enumerate((10, 9, 8, 7, 6)):
        clock.advance(seconds=10)
        client = participant_client(app, session, clock, f"091100010{index}", quiz.unit, f"Người {index}")
        take_round(client, session, quiz.round.id, correct)
    return quiz.round


def _post(client, url: str, **data):  # type: ignore[no-untyped-def]
    """A post the organizer has confirmed (as the dialog or the confirmation page does)."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client), "confirmed": "1"})


def test_round_page_needs_an_organizer(quiz, client) -> None:
    assert quiz.client.get(f"/admin/rounds/{quiz.round.id}").status_code == 403
    assert _post(quiz.client, f"/admin/rounds/{quiz.round.id}/close").status_code == 403
    assert client.get(f"/admin/rounds/{quiz.round.id}").status_code in (302, 403)


def test_freeze_and_hide_from_the_round_page(organizer_client, five_done, client, clock, session) -> None:
    url = f"/admin/rounds/{five_done.id}"
    assert "Người 0" in organizer_client.get(url).get_data(as_text=True)
    _post(organizer_client, f"{url}/board", action="freeze")
    clock.advance(seconds=5)
    assert client.get(f"/api/rounds/{five_done.id}/leaderboard").get_json()["frozen_at"]
    _post(organizer_client, f"{url}/board", action="hide")
    assert client.get(f"/api/rounds/{five_done.id}/leaderboard").status_code == 404
    _post(organizer_client, f"{url}/board", action="show")
    _post(organizer_client, f"{url}/board", action="unfreeze")
    body = client.get(f"/api/rounds/{five_done.id}/leaderboard").get_json()
    assert body["frozen_at"] is None and body["total"] == 5
    assert _post(organizer_client, f"{url}/board", action="explode").status_code == 400


def test_prizes_with_a_share_cap_are_given_at_close(organizer_client, five_done, session) -> None:
    url = f"/admin/rounds/{five_done.id}"
    _post(organizer_client, f"{url}/prizes", first="1", second="1", third="1", consolation="2", max_share="60")
    _post(organizer_client, f"{url}/close")
    prizes = session.scalars(select(RankingEntry.prize).order_by(RankingEntry.rank)).all()
    assert prizes == ["first", "second", "third", None, None]  # 60 % of 5 entrants: 3 prizes
    page = organizer_client.get(url).get_data(as_text=True)
    assert 'value="60"' in page  # the share shown as typed, in percent
    top = page.split('id="top-title"')[1]
    names = session.scalars(select(User.name).join(RankingEntry, RankingEntry.user_id == User.id)).all()
    assert all(name in top for name in names)  # the organizers' top 20 gives full names, not "Nguyễn V. A."
    assert "Giải Nhất" in page and "Tải kết quả" in page
    download = organizer_client.get(f"{url}/results.xlsx")
    rows = list(load_workbook(io.BytesIO(download.data))["Xếp hạng cá nhân"].iter_rows(min_row=2, values_only=True))
    assert rows[0][11] == "Giải Nhất" and not rows[3][11]
    export = session.scalar(select(AuditEntry).where(AuditEntry.action == "results.export"))
    assert export.target == f"round:{five_done.id}" and export.user.phone == "0900000001"  # personal data left


def test_bad_prize_numbers_are_refused(organizer_client, five_done, session) -> None:
    _post(organizer_client, f"/admin/rounds/{five_done.id}/prizes", first="-1")
    _post(organizer_client, f"/admin/rounds/{five_done.id}/prizes", first="1", max_share="200")
    _post(organizer_client, f"/admin/rounds/{five_done.id}/prizes", first="1", max_share="mười")
    _post(organizer_client, f"/admin/rounds/{five_done.id}/prizes", first="", second="2")  # blank is not 0
    session.expire_all()
    assert session.get(Round, five_done.id).prize_plan is None


def test_one_prize_per_person_across_the_contest(organizer_client, five_done, session, clock, app) -> None:
    first_round = session.get(Round, five_done.id)
    second = Round(
        contest=first_round.contest,
        name="Tuần 2",
        opens_at=clock() - timedelta(minutes=1),
        closes_at=clock() + timedelta(days=7),
        question_count=10,
        time_limit_s=600,
        bank=first_round.bank,
        prize_plan={"first": 1, "second": 0, "third": 0, "consolation": 0, "one_per_person": True},
        reuse_revealed=True,  # the same bank after the first round's key was shown: chosen on purpose here
    )
    first_round.prize_plan = {"first": 1, "second": 0, "third": 0, "consolation": 0, "one_per_person": True}
    session.add(second)
    session.commit()
    _post(organizer_client, f"/admin/rounds/{first_round.id}/close")
    winner, runner_up = session.scalars(
        select(RankingEntry.user_id).where(RankingEntry.round_id == first_round.id).order_by(RankingEntry.rank).limit(2)
    ).all()
    assert session.scalar(select(RankingEntry.prize).where(RankingEntry.user_id == winner)) == "first"
    # in round 2 the same winner comes first again, the runner-up second
    for user_id, correct in ((winner, 10), (runner_up, 9)):
        client = app.test_client()
        client.post(
            "/api/session",
            json={"phone": session.get(User, user_id).phone, "password": "mat-khau-123"},
            headers={"X-CSRFToken": csrf_token(client)},
        )
        take_round(client, session, second.id, correct)
    _post(organizer_client, f"/admin/rounds/{second.id}/close")
    round_two = dict(
        session.execute(select(RankingEntry.rank, RankingEntry.prize).where(RankingEntry.round_id == second.id)).all()
    )
    assert round_two == {1: None, 2: "first"}


def test_actions_are_recorded_with_before_and_after(organizer_client, five_done, session) -> None:
    url = f"/admin/rounds/{five_done.id}"
    _post(organizer_client, f"{url}/prizes", first="1", second="0", third="0", consolation="0")
    _post(organizer_client, f"{url}/board", action="freeze")
    _post(organizer_client, f"{url}/close")
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries] == ["round.prizes", "board.freeze", "round.close"]
    assert entries[0].before is None and entries[0].after["first"] == 1
    assert entries[2].after == {"ranked": 5, "actual_value": 1, "outside_tables": 0}
    assert all(entry.user.phone == "0900000001" and entry.target == f"round:{five_done.id}" for entry in entries)
    page = organizer_client.get("/admin/audit").get_data(as_text=True)
    assert "<td>Đóng đợt thi</td>" in page and "Nhật ký thao tác" in page and "<td>round.close</td>" not in page
    sheet = load_workbook(io.BytesIO(organizer_client.get("/admin/audit.xlsx").data)).active
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "round.prizes",
        "board.freeze",
        "round.close",
        "audit.export",  # the download itself, recorded before the file is written
    ]


def test_password_resets_are_recorded_without_the_password(organizer_client, quiz, session) -> None:
    response = _post(organizer_client, f"/admin/users/{quiz.user.id}/reset")
    assert response.status_code == 302
    entry = session.scalar(select(AuditEntry))
    assert entry.action == "user.password_reset" and entry.target == f"user:{quiz.user.id}"
    assert entry.before is None and entry.after is None


def test_closing_freezing_and_hiding_ask_first_and_say_what_will_happen(organizer_client, five_done, session) -> None:
    url = f"/admin/rounds/{five_done.id}"
    page = organizer_client.get(url).get_data(as_text=True)
    assert page.count("data-confirm=") >= 3 and "js/confirm.js" in page  # the dialog, with JavaScript
    asked = organizer_client.post(f"{url}/close", data={"csrf_token": csrf_token(organizer_client)})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Đóng đợt thi" in text and 'name="confirmed" value="1"' in text
    session.expire_all()
    assert session.get(Round, five_done.id).closed_at is None  # nothing happened yet
    frozen = organizer_client.post(
        f"{url}/board", data={"action": "freeze", "csrf_token": csrf_token(organizer_client)}
    )
    assert frozen.status_code == 200 and 'name="action" value="freeze"' in frozen.get_data(as_text=True)
    session.expire_all()
    assert session.get(Round, five_done.id).board_frozen_at is None
    unfrozen = organizer_client.post(
        f"{url}/board", data={"action": "unfreeze", "csrf_token": csrf_token(organizer_client)}
    )
    assert unfrozen.status_code == 302  # undoing asks nothing
    assert _post(organizer_client, f"{url}/close").status_code == 302
    session.expire_all()
    assert session.get(Round, five_done.id).closed_at is not None
