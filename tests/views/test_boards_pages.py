"""The leaderboard page and the big screen, as visitors see them."""

from __future__ import annotations

import re

from babel.numbers import format_percent
from sqlalchemy import select

from contest.models import User


def test_leaderboard_page_lists_people_and_units_and_finds_names(runner, client) -> None:
    runner.invoke(args=["demo"])
    top = client.get("/api/rounds/1/leaderboard?limit=1").get_json()["entries"][0]
    page = client.get("/contests/cds-2026/leaderboard")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Bảng xếp hạng" in text and "xếp hạng trực tiếp" in text
    assert top["name"] in text and top["name"].endswith(".")  # names are masked: "Nguyễn T. H."
    assert "Tỷ lệ tham gia" in text and top["unit"] in text
    family = top["name"].split()[0]
    found = client.get(f"/contests/cds-2026/leaderboard?q={family}").get_data(as_text=True)
    assert "kết quả" in found and top["name"] in found
    assert "Set-Cookie" not in page.headers


def test_leaderboard_never_shows_phone_numbers(runner, client, session) -> None:
    runner.invoke(args=["demo"])
    text = client.get("/contests/cds-2026/leaderboard").get_data(as_text=True)
    for phone in session.scalars(select(User.phone)):
        assert phone not in text


def test_unit_drill_down_and_unknown_unit(runner, client) -> None:
    runner.invoke(args=["demo"])
    assert client.get("/contests/cds-2026/leaderboard?parent=HBX-X01").status_code == 200
    assert client.get("/contests/cds-2026/leaderboard?parent=NOPE").status_code == 404


def test_big_screen_shows_totals_and_polls_its_data(runner, client) -> None:
    runner.invoke(args=["demo"])
    page = client.get("/contests/cds-2026/screen").get_data(as_text=True)
    assert 'id="stat-participants">24<' in page and "Đơn vị dẫn đầu về tỷ lệ tham gia" in page
    data = client.get("/api/contests/cds-2026/screen").get_json()
    assert data["stats"]["participants"] == 24 and len(data["top"]) == 10 and data["round"]["state"] == "open"
    assert "user_id" not in data["top"][0]
    # a decimal comma in Vietnamese; Babel rounds the decimal value half to even (0.0435 is 4,4%, not 4,3%)
    first_rate = format_percent(data["units"][0]["rate"], "#,##0.0%", locale="vi")
    assert f'<span class="score">{first_rate}</span>' in page
    stamp = re.search(r'<time datetime="(\d{4}-\d\d-\d\dT(\d\d):\d\d:\d\d[.\d]*Z)">(\d\d):\d\d:\d\d</time>', page)
    assert stamp and int(stamp.group(3)) == (int(stamp.group(2)) + 7) % 24  # shown in Vietnam time


def test_unknown_contest_boards_are_404(client) -> None:
    assert client.get("/contests/nope/leaderboard").status_code == 404
    assert client.get("/contests/nope/screen").status_code == 404
    assert client.get("/api/contests/nope/stats").status_code == 404
