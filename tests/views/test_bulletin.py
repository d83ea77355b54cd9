"""The units' daily bulletin and the whole-contest ranking."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from tests.helpers import participant_client, take_round


def _two_days(app, session, clock, quiz):  # type: ignore[no-untyped-def]
    """Day 1 (10/10): the quiz user and one colleague of unit P-A; day 2: one person of P-B."""
    quiz.round.contest.scope_unit = quiz.unit.parent
    quiz.round.max_attempts = None
    session.commit()
    take_round(quiz.client, session, quiz.round.id, 8)
    take_round(
        participant_client(app, session, clock, "0911000301", quiz.unit, "Đồng Nghiệp"), session, quiz.round.id, 6
    )
    clock.advance(days=1)
    other = quiz.unit.parent.children[1]
    take_round(participant_client(app, session, clock, "0911000302", other, "Người Mới"), session, quiz.round.id, 9)
    take_round(quiz.client, session, quiz.round.id, 10)  # a second attempt: still one participant


def test_bulletin_counts_participants_by_unit_until_the_hour(app, session, clock, quiz, client) -> None:
    _two_days(app, session, clock, quiz)
    day1 = client.get("/contests/cds/bulletin?date=2026-10-10&hour=17").get_data(as_text=True)
    assert "Sở P-A" in day1 and "+2" in day1 and "20,00%" in day1  # a decimal comma in Vietnamese
    day2 = client.get("/contests/cds/bulletin?date=2026-10-11&hour=17")
    text = day2.get_data(as_text=True)
    assert day2.status_code == 200 and "+1" in text and "10,00%" in text
    english = client.get("/contests/cds/bulletin?date=2026-10-11&hour=17&lang=en").get_data(as_text=True)
    assert "10.00%" in english
    assert client.get("/contests/cds/bulletin?date=10-10-2026").status_code == 400


def test_bulletin_xlsx(app, session, clock, quiz, client) -> None:
    _two_days(app, session, clock, quiz)
    response = client.get("/contests/cds/bulletin.xlsx?date=2026-10-11&hour=17")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert "17:00 ngày 11/10/2026" in sheet["A2"].value
    assert rows[0][1:] == ("P-A", "Sở P-A", 10, 2, 20.0, 0, 3)
    assert rows[1][1:] == ("P-B", "Sở P-B", 10, 1, 10.0, 1, 1)


def test_whole_contest_ranking_adds_best_scores_of_rounds(app, session, clock, quiz, client) -> None:
    from contest.models import Round

    _two_days(app, session, clock, quiz)
    second = Round(
        contest=quiz.round.contest,
        name="Tuần 2",
        opens_at=clock() - timedelta(minutes=1),
        closes_at=clock() + timedelta(days=7),
        question_count=10,
        time_limit_s=600,
        bank=quiz.round.bank,
    )
    session.add(second)
    session.commit()
    take_round(quiz.client, session, second.id, 5)
    page = client.get("/contests/cds/leaderboard?round=all").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.index("Nguyễn V. A.") < rows.index("Người M.") < rows.index("Đồng N.")
    assert '<td class="numeric">15</td>' in rows  # 10 in round 1 + 5 in round 2


def test_numbers_follow_the_language(runner, client) -> None:
    runner.invoke(args=["demo"])
    vietnamese = client.get("/contests/cds-2026/bulletin").get_data(as_text=True)
    assert "16.450" in vietnamese and "19.200" in vietnamese  # union headcounts
    english = client.get("/contests/cds-2026/bulletin?lang=en").get_data(as_text=True)
    assert "16,450" in english


def test_a_query_naming_the_contest_again_is_no_server_error(runner, client) -> None:
    """Found by the fuzz run: ?slug=... beside the page's own slug broke the Excel link's URL (a 500)."""
    runner.invoke(args=["demo"])
    page = client.get("/contests/cds-2026/bulletin?slug=%3Cscript%3E&date=2026-12-06&hour=17")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "/contests/cds-2026/bulletin.xlsx?date=2026-12-06&amp;hour=17" in text and "<script>" not in text
