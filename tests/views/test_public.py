"""The contest list and a contest's page."""

from __future__ import annotations

from datetime import timedelta

from contest.services.console.contests import create_contest
from contest.services.shared.audit import Actor
from tests.factories import make_contest, make_round


def test_contest_list_shows_published_and_hides_drafts(client, session, clock) -> None:
    make_contest(session, clock(), slug="cong-khai")
    make_contest(session, clock(), slug="nhap", status="draft")
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Cuộc thi cong-khai" in page
    assert "Cuộc thi nhap" not in page
    assert client.get("/contests/nhap").status_code == 404


def test_contest_page_shows_rounds_in_vietnam_time_with_state(client, session, clock) -> None:
    contest = make_contest(session, clock())
    make_round(session, contest, clock(), name="Tuần 1", opens_in=timedelta(hours=-1), lasts=timedelta(days=7))
    make_round(session, contest, clock(), name="Tuần 2", opens_in=timedelta(days=7), lasts=timedelta(days=7))
    session.commit()
    page = client.get(f"/contests/{contest.slug}").get_data(as_text=True)
    # the clock is 01:00 UTC on 10/10/2026, so round 1 opened at 07:00 Vietnam time
    assert "10/10/2026 07:00" in page
    assert "17/10/2026 07:00" in page
    assert "Đang mở" in page and "Sắp mở" in page
    assert 'data-deadline="2026-10-17T00:00:00.000Z"' in page


def test_contest_page_in_english(client, session, clock) -> None:
    contest = make_contest(session, clock())
    make_round(session, contest, clock())
    session.commit()
    page = client.get(f"/contests/{contest.slug}?lang=en").get_data(as_text=True)
    assert "Rounds" in page and "Open" in page and "Time limit" in page


def test_unknown_contest_is_a_vietnamese_404(client) -> None:
    response = client.get("/contests/khong-co")
    assert response.status_code == 404
    assert "không tồn tại" in response.get_data(as_text=True)


def test_rules_are_sanitised(client, session, clock) -> None:
    create_contest(
        session,
        slug="xss",
        title="T",
        now=clock(),
        actor=Actor.command_line(),
        rules='<p onclick="x()">Luật</p><script>alert(1)</script><a href="javascript:alert(1)">a</a>',
    )
    session.commit()
    page = client.get("/contests/xss").get_data(as_text=True)
    assert "<script>alert" not in page and "onclick" not in page and "javascript:" not in page
    assert "<p>Luật</p>" in page
