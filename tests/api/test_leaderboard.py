"""Leaderboards: live and final, Redis and database giving the same answers, rebuild, freeze,
units, stats, closing a round and the results workbook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from contest.clock import to_vietnam as clock_to_vietnam
from contest.models import Attempt, RankingEntry, User
from contest.services.people.accounts import anonymise
from contest.services.ranking import contest_ranking, leaderboard, live_board
from contest.services.ranking.board_settings import set_board_frozen, set_board_hidden
from contest.services.shared.audit import Actor
from tests.helpers import participant_client, take_round


def test_live_board_orders_by_score_duration_submission_and_masks_names(contest_day, client) -> None:
    body = client.get(f"/api/rounds/{contest_day.round.id}/leaderboard?limit=10").get_json()
    assert body["total"] == 5 and body["final"] is False
    names = [entry["name"] for entry in body["entries"]]
    # all took 0 s; three have 10: earliest submission first
    assert names == ["Trần V. B.", "Lê T. C.", "Nguyễn V. A.", "Phạm Đ.", "Hoàng Y."]
    assert [entry["rank"] for entry in body["entries"]] == [1, 2, 3, 4, 5]
    assert set(body["entries"][0]) == {"rank", "name", "unit", "score", "duration_ms", "submitted_at"}
    assert body["entries"][0]["submitted_at"].endswith("Z")  # UTC, ISO 8601, like every time the API sends
    assert "0911000001" not in str(body)


def test_anonymous_readers_get_no_session(contest_day, client) -> None:
    response = client.get(f"/api/rounds/{contest_day.round.id}/leaderboard")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=2"


def test_paging(contest_day, client) -> None:
    body = client.get(f"/api/rounds/{contest_day.round.id}/leaderboard?limit=2&offset=2").get_json()
    assert [entry["rank"] for entry in body["entries"]] == [3, 4] and body["total"] == 5


def test_a_better_second_attempt_replaces_the_first(contest_day, session, client) -> None:
    take_round(contest_day.client, session, contest_day.round.id, 10, 3)  # same score, later: no change
    first = client.get(f"/api/rounds/{contest_day.round.id}/leaderboard").get_json()
    assert first["total"] == 5 and first["entries"][2]["name"] == "Nguyễn V. A."


def test_units_rank_by_participation_rate(contest_day, client, session) -> None:
    body = client.get(f"/api/rounds/{contest_day.round.id}/units").get_json()
    rows = {row["code"]: row for row in body["entries"]}
    assert rows["P-A"]["participants"] == 3 and rows["P-A"]["headcount"] == 10 and rows["P-A"]["rate"] == 0.3
    assert rows["P-B"]["participants"] == 2 and rows["P-B"]["avg_score"] == 9.5
    assert [row["code"] for row in body["entries"]] == ["P-A", "P-B"]
    assert client.get(f"/api/rounds/{contest_day.round.id}/units?parent=NOPE").status_code == 404
    root = client.get(f"/api/rounds/{contest_day.round.id}/units?parent=P-A").get_json()
    assert root["entries"] == []


def test_contest_stats(contest_day, client, clock) -> None:
    contest_day.start()  # one attempt in progress
    stats = client.get("/api/contests/cds/stats").get_json()
    assert stats == {"participants": 5, "attempts": 6, "submitted": 5, "full_score": 3}


def test_freeze_and_hide(contest_day, session, client, clock) -> None:
    round_ = contest_day.round
    assert client.get(f"/api/rounds/{round_.id}/leaderboard").get_json()["total"] == 5
    set_board_frozen(
        session, round_, True, actor=Actor.command_line(), now=clock() - timedelta(seconds=45)
    )  # before the last two submissions
    session.commit()
    body = client.get(f"/api/rounds/{round_.id}/leaderboard").get_json()
    assert body["total"] == 3 and body["frozen_at"]
    set_board_hidden(session, round_, True, actor=Actor.command_line(), now=clock())
    session.commit()
    hidden = client.get(f"/api/rounds/{round_.id}/leaderboard")
    assert hidden.status_code == 404 and hidden.get_json()["error"] == "board_hidden"


def test_round_close_ranks_with_the_prediction_and_exports(contest_day, runner, session, tmp_path, clock) -> None:
    contest_day.start()  # left open: closing finishes it
    result = runner.invoke(args=["round", "close", str(contest_day.round.id)])
    assert result.exit_code == 0, result.output
    # three full scores (10 of 10): actual = 3, the quiz user predicted 3 exactly
    assert "prediction actual value: 3" in result.output
    lines = result.output.strip().splitlines()
    assert "1. Nguyễn Văn An" in lines[1] and "decided by: -" in lines[1]
    # Lê Thị Cúc predicted 2 (off by 1), Trần Văn Bình 5 (off by 2)
    assert "2. Lê Thị Cúc" in lines[2] and "decided by: prediction" in lines[2]
    assert "3. Trần Văn Bình" in lines[3] and "decided by: prediction" in lines[3]
    entries = session.scalars(select(RankingEntry).order_by(RankingEntry.rank)).all()
    assert [e.decided_by for e in entries] == [None, "prediction", "prediction", "score", "score"]
    assert session.scalar(select(Attempt).where(Attempt.status == "in_progress")) is None
    final = runner.app.test_client().get(f"/api/rounds/{contest_day.round.id}/leaderboard").get_json()
    assert final["final"] is True and final["entries"][0]["name"] == "Nguyễn V. A."
    target = tmp_path / "ket-qua.xlsx"
    exported = runner.invoke(args=["results", "export", str(contest_day.round.id), str(target)])
    assert exported.exit_code == 0, exported.output
    book = load_workbook(target)
    assert book.sheetnames == ["Xếp hạng cá nhân", "Xếp hạng đơn vị", "Quy tắc xếp hạng"]
    sheet = book["Xếp hạng cá nhân"]
    people = list(sheet.iter_rows(min_row=2, values_only=True))
    assert people[0][:3] == (1, "Nguyễn Văn An", "0912345678") and people[1][-1] == "dự đoán gần đúng hơn"
    assert sheet["M1"].value == "Lý do người liền trên xếp trước"  # the column says why the one above is above
    # real date-times in Vietnam time and one format for every duration (#17)
    first = entries[0]
    assert sheet["K2"].value == clock_to_vietnam(first.submitted_at).replace(tzinfo=None, microsecond=0)
    assert sheet["K2"].number_format == "dd/mm/yyyy hh:mm:ss.000" and sheet["J2"].number_format == "0.000"
    assert sheet["J2"].value == pytest.approx(first.duration_ms / 1000)
    # the category, in words; a deleted account keeps its place and loses its phone number
    last_user = session.get(User, entries[-1].user_id)
    last_user.category = "civil_servant"
    anonymise(session, session.get(User, entries[1].user_id), now=clock())
    session.commit()
    assert runner.invoke(args=["results", "export", str(contest_day.round.id), str(target)]).exit_code == 0
    again = list(load_workbook(target)["Xếp hạng cá nhân"].iter_rows(min_row=2, values_only=True))
    assert again[-1][4] == "Cán bộ, công chức, viên chức" and again[0][4] is None
    assert again[1][2] is None and "x" not in str(again[1][2])
    rules = dict(book["Quy tắc xếp hạng"].iter_rows(values_only=True))
    assert rules["Giá trị thực tế"] == "3" and rules["Thứ tự xét"].startswith("1. điểm cao hơn; 2. dự đoán")


def test_results_export_needs_a_closed_round(contest_day, runner, tmp_path) -> None:
    result = runner.invoke(args=["results", "export", str(contest_day.round.id), str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and "round close" in result.output


def _database_view(session, round_, limit=50, offset=0):  # type: ignore[no-untyped-def]
    return leaderboard._database_page(session, round_, limit, offset, None)


def test_redis_board_gives_the_same_answers_as_the_database(board_redis, contest_day, session, app, clock) -> None:
    round_ = contest_day.round
    page = leaderboard.individual_page(session, round_, limit=50)  # first read builds the board
    assert live_board.is_built(board_redis, round_.id)
    database = _database_view(session, round_)
    assert page.total == database.total == 5
    assert [(e["rank"], e["user_id"], e["score"]) for e in page.entries] == [
        (e["rank"], e["user_id"], e["score"]) for e in database.entries
    ]
    # new submissions reach the Redis board incrementally, after their commit
    newcomer = participant_client(app, session, clock, "0911000009", contest_day.unit, "Vũ Minh")
    take_round(newcomer, session, round_.id, 9)
    take_round(contest_day.client, session, round_.id, 4)  # worse than the quiz user's best: no change
    assert board_redis.zcard(live_board.keys(round_.id)[0]) == 6
    again = leaderboard.individual_page(session, round_, limit=50)
    assert [(e["rank"], e["user_id"]) for e in again.entries] == [
        (e["rank"], e["user_id"]) for e in _database_view(session, round_).entries
    ]
    units_redis = leaderboard.unit_ranking(session, round_)
    board_redis.delete(live_board.keys(round_.id)[4])  # read the database instead
    units_database = leaderboard.unit_ranking(session, round_)
    assert units_redis == units_database


def test_rebuild_after_redis_loses_its_data(board_redis, contest_day, session, runner) -> None:
    round_ = contest_day.round
    before = leaderboard.individual_page(session, round_)
    board_redis.flushdb()
    result = runner.invoke(args=["leaderboard", "rebuild", "--round", str(round_.id)])
    assert result.exit_code == 0 and "5 participants on the board" in result.output
    assert live_board.is_built(board_redis, round_.id)
    after = live_board.read_page(board_redis, round_.id, 50, 0)
    assert [(e["rank"], e["user_id"]) for e in after.entries] == [(e["rank"], e["user_id"]) for e in before.entries]


def test_recording_the_same_or_a_worse_attempt_changes_nothing(board_redis, contest_day, session) -> None:
    round_ = contest_day.round
    leaderboard.individual_page(session, round_)
    counters = live_board.unit_counters(board_redis, round_.id, [contest_day.unit.id])
    user = session.get(User, contest_day.user.id)
    best = session.scalar(select(Attempt).where(Attempt.user_id == user.id))
    record = leaderboard.board_record(session, best)
    assert live_board.record([record], board_redis) == 1  # sent, but the script keeps the board as it was
    worse = record.__class__(**{**record.__dict__, "score": 1, "attempt_id": 10**9})
    live_board.record([worse], board_redis)
    assert live_board.unit_counters(board_redis, round_.id, [contest_day.unit.id]) == counters
    assert leaderboard.individual_page(session, round_).entries[2]["score"] == 10


def test_contest_configure_chooses_the_chain_units_and_names(runner, contest_day, client, session) -> None:
    result = runner.invoke(
        args=[
            "contest",
            "configure",
            "--slug",
            "cds",
            "--chain",
            "score,submitted_at",
            "--names",
            "full",
            "--unit-ranking",
            "points",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "chain score,submitted_at; units by points; names full; who may take part: anyone" in result.output
    bad = runner.invoke(args=["contest", "configure", "--slug", "cds", "--chain", "score,luck"])
    assert bad.exit_code == 1 and "score, prediction" in bad.output
    dup = runner.invoke(args=["contest", "configure", "--slug", "cds", "--chain", "score,score"])
    assert dup.exit_code == 1
    page = client.get("/contests/cds").get_data(as_text=True)
    assert "điểm cao hơn" in page and "nộp bài sớm hơn" in page and "dự đoán gần đúng hơn" not in page


def test_points_formula_adds_prize_points_to_the_rate(runner, contest_day, client, session) -> None:
    runner.invoke(args=["contest", "configure", "--slug", "cds", "--unit-ranking", "points"])
    runner.invoke(args=["round", "prizes", str(contest_day.round.id), "--first", "1", "--second", "1"])
    close = runner.invoke(args=["round", "close", str(contest_day.round.id)])
    assert close.exit_code == 0, close.output
    rows = {row["code"]: row for row in client.get(f"/api/rounds/{contest_day.round.id}/units").get_json()["entries"]}
    # P-A: 3 of 10 took part (30) + the first prize (10); P-B: 2 of 10 (20) + the second prize (7)
    assert rows["P-A"]["points"] == 40 and rows["P-B"]["points"] == 27
    assert rows["P-A"]["rank"] == 1


def test_exports_keep_user_text_as_text_never_a_formula(contest_day, runner, session, client, tmp_path) -> None:
    """A name or unit typed as a formula (an account made before the registration check, a unit file) reaches
    the results workbook and the member list as text: Excel shows it, never runs it."""
    formula = '=HYPERLINK("http://x.example","Nhấn vào đây")'
    contest_day.user.name = formula
    contest_day.unit.name = "=1+1"
    session.commit()
    assert runner.invoke(args=["round", "close", str(contest_day.round.id)]).exit_code == 0
    target = tmp_path / "ket-qua.xlsx"
    assert runner.invoke(args=["results", "export", str(contest_day.round.id), str(target)]).exit_code == 0
    cells = [cell for sheet in load_workbook(target) for row in sheet.iter_rows() for cell in row]
    written = {cell.value: cell.data_type for cell in cells if isinstance(cell.value, str)}
    assert written[formula] == "s" and written["=1+1"] == "s"
    assert not [cell for cell in cells if cell.data_type == "f"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Nguyễn V", ["Nguyễn V. A."]),  # what the board shows is searchable
        ("lê t. c.", ["Lê T. C."]),  # in any case
        ("Văn An", []),  # the hidden given name does not unmask anyone
        ("Bình", []),
        ("%", []),  # LIKE wildcards are plain characters
        ("_", []),
    ],
)
def test_search_with_masked_names_reads_only_the_masked_form(contest_day, session, text: str, found: list[str]) -> None:
    assert contest_day.round.contest.name_display == "masked"
    names = [entry["name"] for entry in leaderboard.search_entries(session, contest_day.round, text)]
    assert names == found


def test_search_with_full_names_and_units(contest_day, session) -> None:
    contest_day.round.contest.name_display = "full"
    session.commit()
    assert [e["name"] for e in leaderboard.search_entries(session, contest_day.round, "Văn An")] == ["Nguyễn Văn An"]
    by_unit = leaderboard.search_entries(session, contest_day.round, contest_day.unit.name)
    assert {e["name"] for e in by_unit} == {"Nguyễn Văn An", "Trần Văn Bình", "Hoàng Yến"}


def test_every_public_aggregate_obeys_a_frozen_then_hidden_board(contest_day, session, client, clock) -> None:
    """The whole-contest ranking, the unit ranking and the live counters show a frozen board's moment and nothing
    of a hidden one: none of them may leak what the organizers hid (e.g. the number of full scores to predict)."""
    round_, slug, me = contest_day.round, contest_day.round.contest.slug, Actor.command_line()
    set_board_frozen(session, round_, True, actor=me, now=clock() - timedelta(seconds=45))  # the first three only
    session.commit()
    assert client.get(f"/api/contests/{slug}/stats").get_json() == {
        "participants": 3,
        "attempts": 3,
        "submitted": 3,
        "full_score": 2,
    }
    units = client.get(f"/api/rounds/{round_.id}/units").get_json()["entries"]
    assert sum(row["participants"] for row in units) == 3
    whole, total = contest_ranking.contest_individuals(session, round_.contest)
    assert total == 3 and "Nguyễn V. A." not in [entry["name"] for entry in whole]  # submitted after the freeze
    set_board_hidden(session, round_, True, actor=me, now=clock())
    session.commit()
    assert client.get(f"/api/contests/{slug}/stats").get_json() == {
        "participants": 0,
        "attempts": 0,
        "submitted": 0,
        "full_score": 0,
    }
    hidden = client.get(f"/api/rounds/{round_.id}/units")
    assert hidden.status_code == 404 and hidden.get_json()["error"] == "board_hidden"
    assert contest_ranking.contest_individuals(session, round_.contest)[1] == 0
    page = client.get(f"/contests/{slug}/leaderboard?round=all").get_data(as_text=True)
    assert "Trần V. B." not in page


def test_a_board_computed_between_a_change_and_its_commit_is_forgotten(
    contest_day, session, client, clock, board_redis, make_app, live_redis_url
) -> None:
    """Another worker reading the stats while the organizer's change is not yet committed computes them from the round
    as it was; the caches are forgotten again after the commit, so the next reader sees the change."""
    slug = contest_day.round.contest.slug
    other = make_app(REDIS_URL=live_redis_url).test_client()
    set_board_hidden(session, contest_day.round, True, actor=Actor.command_line(), now=clock())
    assert other.get(f"/api/contests/{slug}/stats").get_json()["participants"] == 5  # the board as committed
    session.commit()
    assert client.get(f"/api/contests/{slug}/stats").get_json()["participants"] == 0
