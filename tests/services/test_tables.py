"""Tables by participant category (#16 item 3): each table ranked and given prizes apart, with the same chain;
boards, results, exports and certificates follow; a contest without tables ranks everyone together; the category
stays the participant's to change until their first attempt, then an organizer's (audited)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from contest.models import AuditEntry, RankingEntry
from contest.services.people.profile import update_profile
from contest.services.ranking.results_export import write_results
from contest.services.ranking.rules import finalize_ranking
from contest.services.ranking.tables import validate_tables
from contest.services.shared.audit import Actor
from contest.services.shared.errors import Forbidden, InvalidInput
from tests.factories import make_attempt, make_contest, make_round, make_user

NOW = datetime(2026, 10, 10, 3, 0, tzinfo=UTC)
TABLES = ({"A": "Bảng A: Cán bộ", "B": "Bảng B: Người dân"}, {"civil_servant": "A", "citizen": "B", "worker": "B"})


def test_tables_are_checked_before_they_are_kept() -> None:
    assert validate_tables({}, {}) is None  # no table: one ranking of everyone
    kept = validate_tables(*TABLES)
    assert kept == [
        {"key": "A", "name": "Bảng A: Cán bộ", "categories": ["civil_servant"]},
        {"key": "B", "name": "Bảng B: Người dân", "categories": ["worker", "citizen"]},
    ]
    with pytest.raises(InvalidInput, match="at least two"):
        validate_tables({}, {"civil_servant": "A", "citizen": "A"})
    with pytest.raises(InvalidInput, match="no participant category"):
        validate_tables({"C": "Bảng C"}, TABLES[1])
    with pytest.raises(InvalidInput):
        validate_tables({}, {"civil_servant": "Z", "citizen": "A"})
    with pytest.raises(InvalidInput):
        validate_tables({}, {"alien": "A", "citizen": "B"})


def _people(session, round_, plan):  # type: ignore[no-untyped-def]
    """(name, category, score, seconds) -> users, each with one finished attempt."""
    people = {}
    for index, (name, category, score, seconds) in enumerate(plan):
        user = make_user(session, NOW)
        user.name, user.category = name, category
        make_attempt(session, round_, user, NOW - timedelta(hours=2, minutes=index), score=score, seconds=seconds)
        people[name] = user
    session.flush()
    return people


def test_each_table_has_its_own_places_and_prizes_in_the_same_chain(session) -> None:
    contest = make_contest(session, NOW)
    contest.tables = validate_tables(*TABLES)
    round_ = make_round(session, contest, NOW, opens_in=timedelta(days=-8))
    round_.prize_plan = {"first": 1, "second": 1, "third": 0, "consolation": 0}
    people = _people(
        session,
        round_,
        [
            ("An", "civil_servant", 10, 300),
            ("Bình", "civil_servant", 10, 200),  # quicker: first of table A
            ("Chi", "citizen", 9, 100),  # first of table B, though below both of table A
            ("Dũng", "worker", 8, 100),
            ("Em", "civil_servant", 7, 100),
            ("Giang", None, 10, 50),  # no category: first of the round, in no table, no prize
        ],
    )
    finalize_ranking(session, round_, NOW)
    entries = {
        entry.user_id: entry
        for entry in session.scalars(select(RankingEntry).where(RankingEntry.round_id == round_.id))
    }
    placed = {name: entries[user.id] for name, user in people.items()}
    assert [(placed[n].table_key, placed[n].table_rank, placed[n].prize) for n in ("Bình", "An", "Em")] == [
        ("A", 1, "first"),
        ("A", 2, "second"),
        ("A", 3, None),
    ]
    assert [(placed[n].table_key, placed[n].table_rank, placed[n].prize) for n in ("Chi", "Dũng")] == [
        ("B", 1, "first"),
        ("B", 2, "second"),
    ]
    assert (placed["Giang"].table_key, placed["Giang"].prize, placed["Giang"].rank) == (None, None, 1)
    assert placed["An"].decided_by == "duration"  # against Bình, the one above in table A (not the round's Giang)
    # without tables, the same round gives one ranking and one set of prizes
    contest.tables = None
    finalize_ranking(session, round_, NOW)
    session.expire_all()
    winners = session.scalars(
        select(RankingEntry.prize).where(RankingEntry.round_id == round_.id, RankingEntry.prize.is_not(None))
    ).all()
    assert sorted(winners) == ["first", "second"]
    assert session.scalar(select(RankingEntry.table_key).where(RankingEntry.table_key.is_not(None))) is None


def test_the_results_workbook_gives_each_table_and_place(app, session) -> None:
    contest = make_contest(session, NOW)
    contest.tables = validate_tables(*TABLES)
    round_ = make_round(session, contest, NOW, opens_in=timedelta(days=-8))
    round_.prize_plan = {"first": 1, "second": 0, "third": 0, "consolation": 0}
    _people(session, round_, [("An", "civil_servant", 10, 300), ("Chi", "citizen", 9, 100)])
    finalize_ranking(session, round_, NOW)
    buffer = io.BytesIO()
    write_results(session, round_, buffer, actor=Actor.command_line(), now=NOW)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Xếp hạng cá nhân"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Bảng", "Hạng trong bảng", "Hạng")
    assert [(row[0], row[1], row[13]) for row in rows[1:]] == [
        ("Bảng A: Cán bộ", 1, "Giải Nhất"),
        ("Bảng B: Người dân", 1, "Giải Nhất"),
    ]


def test_the_category_is_the_participants_until_their_first_attempt_then_an_organizers(session) -> None:
    contest = make_contest(session, NOW)
    round_ = make_round(session, contest, NOW)
    person = make_user(session, NOW)
    me = Actor.account(person)
    assert update_profile(
        session, person, name="Trần Thị Mai", unit_code=None, category="citizen", by_staff=False, actor=me, now=NOW
    )
    assert (person.name, person.category) == ("Trần Thị Mai", "citizen")
    with pytest.raises(InvalidInput):
        update_profile(
            session, person, name="=HYPERLINK()", unit_code=None, category=None, by_staff=False, actor=me, now=NOW
        )
    assert person.name == "Trần Thị Mai"
    make_attempt(session, round_, person, NOW - timedelta(minutes=5), score=5, seconds=60)
    with pytest.raises(Forbidden):
        update_profile(
            session,
            person,
            name="Trần Thị Mai",
            unit_code=None,
            category="civil_servant",
            by_staff=False,
            actor=me,
            now=NOW,
        )
    assert person.category == "citizen"
    organizer = make_user(session, NOW, role="organizer")
    update_profile(
        session,
        person,
        name="Trần Thị Mai",
        unit_code=None,
        category="civil_servant",
        by_staff=True,
        actor=Actor.account(organizer),
        now=NOW,
    )
    assert person.category == "civil_servant"
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.profile")).all()
    assert [entry.after["category"] for entry in entries] == ["citizen", "civil_servant"]
    assert entries[-1].user_id == organizer.id
