"""The result page's rank says what it means (#26 item 5): in the person's table, "so far" only while the round is
open, the frozen standings while the board is frozen, nothing while it is hidden, and once the round is ranked for
good the final place and, published, the prize."""

from __future__ import annotations

import html
import re

from sqlalchemy import distinct, func, select

from contest.models import Attempt, RankingEntry, Round, User
from tests.helpers import csrf_token, take_round


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(page)))


def _participant(app):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.post("/login", data={"phone": "0900000002", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    return client


def test_while_open_the_rank_is_in_the_persons_table_and_so_far(runner, app, session) -> None:
    runner.invoke(args=["demo"])
    client = _participant(app)  # a civil servant: Bảng A
    attempt_id = take_round(client, session, 1, correct=20)
    page = _text(client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True))
    found = re.search(r"Thứ hạng tạm thời (\d+) / (\d+) — Bảng A", page)
    assert found, page
    table_a = session.scalar(
        select(func.count(distinct(Attempt.user_id)))
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.round_id == 1, Attempt.status != "in_progress", User.category == "civil_servant")
    )
    assert int(found.group(2)) == table_a  # among Bảng A's people, not the whole round


def test_a_hidden_board_gives_no_rank_and_a_frozen_one_the_frozen_standings(runner, app, session, clock) -> None:
    runner.invoke(args=["demo"])
    client = _participant(app)
    round_ = session.get(Round, 1)
    round_.board_frozen_at = clock()
    session.commit()
    clock.advance(minutes=1)
    attempt_id = take_round(client, session, 1, correct=20)  # after the freeze: not in the frozen standings
    page = _text(client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True))
    assert "Thứ hạng" not in page
    round_.board_frozen_at, round_.board_hidden = None, True
    session.commit()
    page = _text(client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True))
    assert "Thứ hạng" not in page  # no side door to a hidden board
    round_.board_hidden = False
    session.commit()
    page = _text(client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True))
    assert "Thứ hạng tạm thời 1 / " in page


def test_a_published_round_gives_the_final_place_in_the_table_and_the_prize(runner, app, session) -> None:
    runner.invoke(args=["demo"])  # last week's round: closed, ranked and published
    client = _participant(app)
    person = session.scalar(select(User).where(User.phone == "0900000002"))
    entry = session.scalar(select(RankingEntry).where(RankingEntry.user_id == person.id, RankingEntry.round_id == 2))
    attempt_id = entry.attempt_id
    page = _text(client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True))
    assert "Thứ hạng tạm thời" not in page
    assert f"Thứ hạng chung cuộc {entry.table_rank} / " in page and "— Bảng A: Cán bộ, công chức, viên chức" in page
    assert ("Giải thưởng" in page) == (entry.prize is not None)
