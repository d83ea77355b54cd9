"""Find me (#27 item 2): a signed-in person's own row is one tap away on every board, on the right page of a long
one, and their own full name finds it, while the hidden parts of others' names stay unsearchable."""

from __future__ import annotations

import re

from sqlalchemy import select

from contest.models import User
from tests.helpers import csrf_token


def test_see_my_place_leads_to_the_page_my_row_is_on(runner, app, session, monkeypatch) -> None:
    runner.invoke(args=["demo"])
    monkeypatch.setattr("contest.public.routes.PAGE_SIZE", 5)  # a long board: 24 people on five pages
    client = app.test_client()
    last = session.scalar(select(User).where(User.phone == "0900000033"))  # a demo participant of this week's round
    client.post("/login", data={"phone": last.phone, "password": "Demo@2026", "csrf_token": csrf_token(client)})
    page = client.get("/contests/cds-2026/leaderboard?round=1").get_data(as_text=True)
    link = re.search(r'href="([^"]*page=(\d+)#me)"', page)
    assert link and "Xem vị trí của tôi" in page
    target = client.get(link.group(1).replace("&amp;", "&").split("#")[0]).get_data(as_text=True)
    assert 'id="me"' in target  # the row is on that page, marked
    board = app.test_client().get("/api/rounds/1/leaderboard?limit=50").get_json()["entries"]
    mine = next(entry for entry in board if entry["name"] in target and 'id="me"' in target)
    assert (mine["rank"] - 1) // 5 + 1 == int(link.group(2))


def test_my_own_full_name_finds_my_row_and_others_full_names_do_not(runner, app, session) -> None:
    runner.invoke(args=["demo"])
    client = app.test_client()
    me = session.scalar(select(User).where(User.phone == "0900000010"))
    other = session.scalar(select(User).where(User.phone == "0900000011"))
    client.post("/login", data={"phone": me.phone, "password": "Demo@2026", "csrf_token": csrf_token(client)})
    from question_bank.text import without_accents

    mine = client.get(f"/contests/cds-2026/leaderboard?round=1&q={without_accents(me.name)}").get_data(as_text=True)
    assert 'id="me"' in mine
    others = client.get(f"/contests/cds-2026/leaderboard?round=1&q={other.name}").get_data(as_text=True)
    assert "Không có ai trên bảng khớp với" in others  # masked: a full name of someone else finds nothing
