"""Disqualifying an attempt with a reason: it leaves every ranking (the Redis board, the database board,
the final ranking and its prizes), the decision is in the audit log, and it can be undone."""

from __future__ import annotations

from sqlalchemy import select

from contest.models import Attempt, AuditEntry, RankingEntry, User
from contest.services.ranking import live_board
from contest.services.ranking.leaderboard import rebuild
from tests.helpers import csrf_token, organizer_client

REASON = "Ba tài khoản thi từ cùng một máy trong 20 phút"


def _attempt_of(session, name: str) -> Attempt:  # type: ignore[no-untyped-def]
    return session.scalar(select(Attempt).join(User, User.id == Attempt.user_id).where(User.name == name))


def _board_names(client, round_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [entry["name"] for entry in client.get(f"/api/rounds/{round_id}/leaderboard").get_json()["entries"]]


def test_a_disqualified_attempt_leaves_the_live_boards_until_reinstated(
    board_redis,
    contest_day,
    session,
    app,
    clock,
    client,
) -> None:
    round_ = contest_day.round
    rebuild(session, round_)
    assert _board_names(client, round_.id)[:2] == ["Trần V. B.", "Lê T. C."]
    organizer = organizer_client(app, session, clock)
    leader = _attempt_of(session, "Trần Văn Bình")
    response = organizer.post(
        f"/admin/rounds/{round_.id}/disqualify",
        data={"attempt": str(leader.id), "reason": REASON, "csrf_token": csrf_token(organizer), "confirmed": "1"},
    )
    assert response.status_code == 302
    assert _board_names(client, round_.id)[0] == "Lê T. C." and "Trần V. B." not in _board_names(client, round_.id)
    assert live_board.is_built(board_redis, round_.id)  # rebuilt in Redis, not left to the database
    assert leader.user_id not in {
        entry["user_id"] for entry in live_board.read_page(board_redis, round_.id, 50, 0).entries
    }
    session.expire_all()
    stored = session.get(Attempt, leader.id)
    assert stored.disqualification_reason == REASON and stored.score == 10  # the score itself is untouched
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "attempt.disqualify"))
    assert entry.target == f"attempt:{leader.id}" and entry.after == {"reason": REASON}
    page = organizer.get(f"/admin/rounds/{round_.id}/integrity").get_data(as_text=True)
    assert REASON in page and "Khôi phục" in page

    organizer.post(
        f"/admin/rounds/{round_.id}/attempts/{leader.id}/reinstate", data={"csrf_token": csrf_token(organizer)}
    )
    assert _board_names(client, round_.id)[0] == "Trần V. B."
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "attempt.reinstate")) is not None


def test_disqualifying_after_the_close_ranks_the_round_again(contest_day, session, app, clock, runner) -> None:
    round_ = contest_day.round
    assert runner.invoke(args=["round", "close", str(round_.id)]).exit_code == 0
    first = session.scalar(select(RankingEntry).where(RankingEntry.rank == 1))
    organizer = organizer_client(app, session, clock)
    organizer.post(
        f"/admin/rounds/{round_.id}/disqualify",
        data={
            "attempt": str(first.attempt_id),
            "reason": REASON,
            "csrf_token": csrf_token(organizer),
            "confirmed": "1",
        },
    )
    session.expire_all()
    entries = session.scalars(select(RankingEntry).order_by(RankingEntry.rank)).all()
    assert first.user_id not in {entry.user_id for entry in entries} and len(entries) == 4
    # two full scores remain: the actual value is 2, Lê Thị Cúc predicted 2 and now leads
    assert session.get(type(round_), round_.id).actual_value == 2
    assert session.get(User, entries[0].user_id).name == "Lê Thị Cúc"
    # the participant is told, with the reason
    assert first.user_id == contest_day.user.id
    result = contest_day.client.get(f"/attempts/{first.attempt_id}/result").get_data(as_text=True)
    assert "Ban Tổ chức đã loại bài thi này" in result and REASON in result


def test_bad_disqualifications_are_refused_and_change_nothing(contest_day, session, app, clock) -> None:
    round_ = contest_day.round
    organizer = organizer_client(app, session, clock)
    target = _attempt_of(session, "Phạm Đức")
    url = f"/admin/rounds/{round_.id}/disqualify"

    def post(client, **form):  # type: ignore[no-untyped-def]
        return client.post(url, data={"csrf_token": csrf_token(client), "confirmed": "1", **form})

    short = post(organizer, attempt=str(target.id), reason="gian lận")
    assert short.status_code == 400 and "Ghi lý do" in short.get_data(as_text=True)
    unasked = {"csrf_token": csrf_token(organizer), "attempt": str(target.id)}
    assert organizer.post(url, data={**unasked, "reason": "gian lận"}).status_code == 400  # refused before asking
    asked = organizer.post(url, data={**unasked, "reason": REASON})
    assert (
        asked.status_code == 200
        and REASON in asked.get_data(as_text=True)
        and "Phạm Đức" in asked.get_data(as_text=True)
    )
    assert post(organizer, attempt="abc", reason=REASON).status_code == 400
    assert post(organizer, attempt="999999", reason=REASON).status_code == 404
    open_attempt = contest_day.start().get_json()["attempt_id"]
    assert post(organizer, attempt=str(open_attempt), reason=REASON).status_code == 409
    assert organizer.post(url, data={"attempt": str(target.id), "reason": REASON}).status_code == 400  # no CSRF
    assert post(contest_day.client, attempt=str(target.id), reason=REASON).status_code == 403  # a participant
    assert app.test_client().post(url, data={"attempt": str(target.id), "reason": REASON}).status_code in (302, 400)
    twice = [post(organizer, attempt=str(target.id), reason=REASON).status_code for _ in range(2)]
    assert twice == [302, 409]
    session.expire_all()
    assert session.scalars(select(Attempt.id).where(Attempt.disqualified_at.is_not(None))).all() == [target.id]
