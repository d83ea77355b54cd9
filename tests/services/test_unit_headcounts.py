"""Units three levels deep (#16 defect 3): participants roll up to every unit above them, and a unit's headcount is
its own staff plus the units below it unless an organizer set it by hand."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from contest.models import Unit
from contest.services.people.units import find_unit, import_units, update_unit
from contest.services.ranking.leaderboard import unit_ranking
from contest.services.shared.audit import Actor
from contest.services.shared.errors import InvalidInput
from question_bank.tables import read_table
from tests.factories import make_attempt, make_contest, make_round, make_user

TREE = """code,parent_code,name,kind,headcount,staff
P,,Tỉnh Thử,province,,
D1,P,Sở Nội vụ,department,,5
O1,D1,Văn phòng Sở,department,20,
O2,D1,Ban Thi đua,department,10,
D2,P,Sở Y tế,department,12,
X,,Xã Thử,commune,0,
"""


def _import(session, clock, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    import_units(session, read_table(path), source="units.csv", actor=Actor.command_line(), now=clock())
    session.flush()


def _headcounts(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {code: find_unit(session, code).headcount for code in ("P", "D1", "O1", "O2", "D2", "X")}


def test_headcounts_add_up_three_levels_unless_set_by_hand(session, clock, tmp_path) -> None:
    _import(session, clock, tmp_path, TREE)
    assert _headcounts(session) == {"P": 47, "D1": 35, "O1": 20, "O2": 10, "D2": 12, "X": 0}
    # the province's total typed by hand wins, and is kept as such when an office changes
    _import(session, clock, tmp_path, TREE.replace("P,,Tỉnh Thử,province,,", "P,,Tỉnh Thử,province,60000,"))
    office = find_unit(session, "O1")
    update_unit(
        session, office, name=office.name, kind=office.kind, headcount="25", parent_code="D1",
        actor=Actor.command_line(), now=clock(),
    )  # fmt: skip
    assert _headcounts(session) == {"P": 60000, "D1": 40, "O1": 25, "O2": 10, "D2": 12, "X": 0}
    # emptied on the form: worked out again
    province = find_unit(session, "P")
    update_unit(
        session, province, name=province.name, kind=province.kind, headcount="", parent_code="", staff="3",
        actor=Actor.command_line(), now=clock(),
    )  # fmt: skip
    assert province.headcount == 3 + 40 + 12 and province.headcount_override is None
    # moving an office to the other department moves its people with it
    update_unit(
        session, office, name=office.name, kind=office.kind, headcount="25", parent_code="D2",
        actor=Actor.command_line(), now=clock(),
    )  # fmt: skip
    assert _headcounts(session)["D1"] == 15 and _headcounts(session)["D2"] == 37
    with pytest.raises(InvalidInput):
        update_unit(
            session, province, name=province.name, kind=province.kind, headcount="", parent_code="", staff="-4",
            actor=Actor.command_line(), now=clock(),
        )  # fmt: skip


def test_a_bad_staff_number_is_refused_by_row(session, clock, tmp_path) -> None:
    from contest.services.shared.problems import FileProblems

    with pytest.raises(FileProblems) as refused:
        _import(session, clock, tmp_path, TREE.replace("department,,5", "department,,năm"))
    first = refused.value.problems[0]  # then rows 4 and 5: their parent (row 3) was refused
    assert first.row == 3 and "staff 'năm'" in str(first.message)
    assert session.query(Unit).count() == 0  # nothing imported


def test_participants_roll_up_three_levels_in_the_unit_ranking(session, clock, tmp_path) -> None:
    _import(session, clock, tmp_path, TREE)
    round_ = make_round(session, make_contest(session, clock()), clock())
    for code, score in (("O1", 8), ("O1", 6), ("O2", 10), ("D2", 9)):
        user = make_user(session, clock(), unit=find_unit(session, code))
        make_attempt(session, round_, user, clock() - timedelta(minutes=20), score=score, seconds=300)
    session.commit()
    top = {row.code: row for row in unit_ranking(session, round_)}
    assert (top["P"].participants, top["P"].headcount) == (4, 47)
    departments = {row.code: row for row in unit_ranking(session, round_, "P")}
    assert (departments["D1"].participants, departments["D1"].headcount) == (3, 35)
    assert departments["D1"].rate == pytest.approx(3 / 35) and departments["D1"].avg_score == pytest.approx(8)
    offices = {row.code: row for row in unit_ranking(session, round_, "D1")}
    assert {code: (row.participants, row.headcount) for code, row in offices.items()} == {"O1": (2, 20), "O2": (1, 10)}
