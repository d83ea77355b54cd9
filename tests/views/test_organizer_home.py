"""The organizer's morning view (#17): open rounds with their participants, attempts in progress and flags waiting;
today's figures; rounds to close or publish; the next round to open."""

from __future__ import annotations

from sqlalchemy import select

from contest.models import Round
from tests.helpers import csrf_token


def test_the_admin_home_is_the_organizers_morning_view(runner, client, session, clock) -> None:
    runner.invoke(args=["demo"])
    client.post("/login", data={"phone": "0900000001", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    page = client.get("/admin/").get_data(as_text=True)
    assert "Các đợt thi đang mở" in page and "Tuần 2" in page
    row = page[page.index("Tuần 2") : page.index("</tr>", page.index("Tuần 2"))]
    numbers = [cell.split("<")[0] for cell in row.split('<td class="numeric">')[1:]]
    assert numbers[0] == "24" and numbers[1] == "0"  # 24 took part, none at it now
    assert "/admin/rounds/1/integrity" in row  # flags waiting, linked (the demo's shared phone)
    assert "Việc cần làm" not in page  # last week's round is closed and published
    # a round past its closing time and not closed yet, and a ranked one not published, are listed to do
    week = session.scalar(select(Round).where(Round.name == "Tuần 1"))
    week.results_published_at = None
    session.commit()
    clock.advance(days=8)  # this week's round has ended too
    todo = client.get("/admin/").get_data(as_text=True)
    assert "Tuần 2 (Cuộc thi trực tuyến" in todo and "đã hết thời gian thi" in todo and "chưa công bố" in todo
    assert client.application.test_client().get("/admin/").status_code in (302, 401)
