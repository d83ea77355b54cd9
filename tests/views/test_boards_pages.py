"""The leaderboard page and the big screen, as visitors see them."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from contest.models import User
from tests.helpers import csrf_token


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
    # 24 people took this week's round, the one the screen shows (the demo participant took only last week's)
    assert 'id="stat-participants">24<' in page and "Đơn vị dẫn đầu về tỷ lệ tham gia" in page
    data = client.get("/api/contests/cds-2026/screen").get_json()
    assert data["stats"]["participants"] == 24 and len(data["top"]) == 10 and data["round"]["state"] == "open"
    assert "user_id" not in data["top"][0]
    # a decimal comma in Vietnamese, rounded once, half up, from the counts (services: numbers.rate_permille)
    first = data["units"][0]["rate_permille"]
    assert f'<span class="score">{first // 10},{first % 10}%</span>' in page
    stamp = re.search(r'<time datetime="(\d{4}-\d\d-\d\dT(\d\d):\d\d:\d\d[.\d]*Z)">(\d\d):\d\d:\d\d</time>', page)
    assert stamp and int(stamp.group(3)) == (int(stamp.group(2)) + 7) % 24  # shown in Vietnam time


def test_unknown_contest_boards_are_404(client) -> None:
    assert client.get("/contests/nope/leaderboard").status_code == 404
    assert client.get("/contests/nope/screen").status_code == 404
    assert client.get("/api/contests/nope/stats").status_code == 404


def test_big_screen_numbers_ranks_marks_the_top_three_and_scales_bars_to_the_highest_rate(runner, client) -> None:
    runner.invoke(args=["demo"])
    page = client.get("/contests/cds-2026/screen").get_data(as_text=True)
    data = client.get("/api/contests/cds-2026/screen").get_json()
    assert [entry["rank"] for entry in data["top"]] == list(range(1, 11))
    # the demo contest has two tables: the leaders of each, five each to fit the screen's ten rows
    assert [table["key"] for table in data["tables"]] == ["A", "B"]
    assert all([entry["rank"] for entry in table["top"]] == [1, 2, 3, 4, 5] for table in data["tables"])
    assert "Bảng A: Cán bộ, công chức, viên chức" in page
    assert page.count('class="podium podium-') == 6 and '<span class="rank">1</span>' in page
    widths = [float(width) for width in re.findall(r'class="bar"><span style="width: ([\d.]+)%"', page)]
    rates = [row["rate"] for row in data["units"]]
    assert widths[0] == 100.0 and max(rates) < 0.5  # a few percent fills the longest bar, not a sliver of it
    assert all(abs(width - 100 * rate / max(rates)) < 0.1 for width, rate in zip(widths, rates, strict=True))
    assert "Kết quả chung cuộc" not in page.replace("hidden>Kết quả chung cuộc", "")  # shown only after the close
    assert all("prize" not in entry for entry in data["top"])  # prizes are given at the close, not before


def test_big_screen_after_the_close_shows_the_final_results_and_the_prizes_once_published(
    app, session, clock, contest_day
) -> None:
    from tests.helpers import organizer_client
    from tests.views.test_results_publication import _close

    round_ = contest_day.round
    round_.closes_at = clock() + timedelta(minutes=1)
    session.commit()
    organizer = organizer_client(app, session, clock)
    _close(organizer, round_.id)
    clock.advance(minutes=2)
    visitor = app.test_client()
    slug = round_.contest.slug
    data = visitor.get(f"/api/contests/{slug}/screen").get_json()
    assert data["round"]["final"] is True and data["round"]["state"] == "closed"
    assert all("prize" not in entry for entry in data["top"])  # the draft's prizes stay the organizers'
    board = visitor.get(f"/api/rounds/{round_.id}/leaderboard").get_json()["entries"]
    assert all("prize" not in entry for entry in board)
    organizer.post(
        f"/admin/rounds/{round_.id}/results/publish", data={"csrf_token": csrf_token(organizer), "confirmed": "1"}
    )
    clock.advance(seconds=10)  # past the screen's few seconds of cache
    data = visitor.get(f"/api/contests/{slug}/screen").get_json()
    assert [entry.get("prize") for entry in data["top"]][:3] == ["first", "second", "third"]
    page = visitor.get(f"/contests/{slug}/screen").get_data(as_text=True)
    assert 'class="final-title">Kết quả chung cuộc' in page and '<span class="prize">Giải Nhất</span>' in page


def test_leaderboard_page_refreshes_itself_only_while_its_round_is_open(app, session, clock, contest_day) -> None:
    from tests.helpers import organizer_client
    from tests.views.test_results_publication import _close

    slug, round_ = contest_day.round.contest.slug, contest_day.round
    visitor = app.test_client()
    live = visitor.get(f"/contests/{slug}/leaderboard?round={round_.id}").get_data(as_text=True)
    assert 'id="board-config"' in live and "js/leaderboard.js" in live and "Cập nhật lúc" in live
    config = re.search(r'id="board-config">(.*?)</script>', live).group(1)
    assert f"/api/rounds/{round_.id}/leaderboard?limit=50" in config.replace("\\u0026", "&")
    searching = visitor.get(f"/contests/{slug}/leaderboard?round={round_.id}&q=Tr").get_data(as_text=True)
    assert 'id="board-config"' not in searching  # a search's matches stay as found
    _close(organizer_client(app, session, clock), round_.id)
    final = visitor.get(f"/contests/{slug}/leaderboard?round={round_.id}").get_data(as_text=True)
    assert 'id="board-config"' not in final and "js/leaderboard.js" not in final


def test_search_ignores_accents_and_case_and_says_when_nothing_matches(runner, client) -> None:
    runner.invoke(args=["demo"])
    entries = client.get("/api/rounds/1/leaderboard?limit=50").get_json()["entries"]
    accented = next(entry for entry in entries if entry["name"].startswith(("Đ", "Đặng", "Đỗ", "Đinh")))
    from question_bank.text import without_accents

    plain = without_accents(accented["name"].split()[0]).upper()  # "ĐẶNG" typed as "DANG"
    found = client.get(f"/contests/cds-2026/leaderboard?round=1&q={plain}").get_data(as_text=True)
    assert accented["name"] in found
    unit = next(entry["unit"] for entry in entries if entry["unit"].startswith("Sở"))
    by_unit = client.get(f"/contests/cds-2026/leaderboard?round=1&q={without_accents(unit)}").get_data(as_text=True)
    assert "kết quả" in by_unit and unit in by_unit
    nothing = client.get("/contests/cds-2026/leaderboard?round=1&q=zzqx").get_data(as_text=True)
    assert "Không có ai trên bảng khớp với “zzqx”" in nothing and "Chưa có ai nộp bài" not in nothing


def test_the_signed_in_persons_own_row_is_marked(runner, client) -> None:
    runner.invoke(args=["demo"])
    client.post("/login", data={"phone": "0900000010", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    page = client.get("/contests/cds-2026/leaderboard?round=1").get_data(as_text=True)
    assert page.count('class="me"') == 1 and '<strong class="me-tag">Bạn</strong>' in page
    config = re.search(r'id="board-config">(.*?)</script>', page).group(1)
    assert '"me": {"name":' in config  # the live refresh keeps the mark
    anonymous = client.application.test_client().get("/contests/cds-2026/leaderboard?round=1").get_data(as_text=True)
    assert 'class="me"' not in anonymous


def test_the_participants_guide_in_both_languages(client) -> None:
    guide = client.get("/huong-dan").get_data(as_text=True)
    for heading in ("Đăng ký tài khoản", "Khi mất mạng", "Cách xếp hạng", "Mã xác nhận bài thi", "Quên mật khẩu"):
        assert heading in guide
    assert 'href="/huong-dan"' in client.get("/").get_data(as_text=True)  # every page's footer leads to it
    english = client.get("/huong-dan?lang=en").get_data(as_text=True)
    assert "When the connection drops" in english and "How places are decided" in english


def test_the_bulletin_explains_its_hour_and_units_lead_to_their_people(runner, client) -> None:
    runner.invoke(args=["demo"])
    bulletin = client.get("/contests/cds-2026/bulletin").get_data(as_text=True)
    assert "Số liệu đến (giờ trong ngày)" in bulletin and "số liệu đến 17:00" in bulletin
    board = client.get("/contests/cds-2026/leaderboard?round=1").get_data(as_text=True)
    link = re.search(
        r'href="(/contests/cds-2026/leaderboard\?round=1&amp;q=[^"#]+)#people-title">xem người dự thi', board
    )
    assert link is not None
    people = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "kết quả" in people and "Không có ai trên bảng khớp" not in people
