"""The database itself keeps the invariants, whatever the Python code does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from contest.models import Attempt, Contest, Round, Unit, User
from tests.factories import make_bank, make_contest, make_round, make_unit, make_user


def _attempt(user: User, round_: Round, now: datetime, number: int = 1, **fields) -> Attempt:
    values = {"number": number, "started_at": now, "deadline": now + timedelta(minutes=15), "total": 10, "seed": 42}
    values.update(fields)
    return Attempt(user=user, round=round_, **values)


@pytest.fixture
def round_(session, clock):
    bank = make_bank(session, clock())
    return make_round(session, make_contest(session, clock()), clock(), bank=bank)


def _expect_integrity_error(session) -> None:
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_phone_is_unique(session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.add(User(name="B", phone="0912345678", password_hash="x", created_at=clock()))
    _expect_integrity_error(session)


def test_unit_code_is_unique(session) -> None:
    make_unit(session, "A")
    session.add(Unit(code="A", name="again", kind="other", headcount=0, path="/", depth=0))
    _expect_integrity_error(session)


def test_unit_headcount_cannot_be_negative(session) -> None:
    session.add(Unit(code="NEG", name="x", kind="other", headcount=-1, path="/", depth=0))
    _expect_integrity_error(session)


def test_unit_kind_must_be_known(session) -> None:
    session.add(Unit(code="K", name="x", kind="planet", headcount=0, path="/", depth=0))
    _expect_integrity_error(session)


def test_role_must_be_known(session, clock) -> None:
    session.add(User(name="A", phone="0912000000", password_hash="x", role="king", created_at=clock()))
    _expect_integrity_error(session)


def test_unit_admin_needs_a_unit(session, clock) -> None:
    session.add(User(name="A", phone="0912000001", password_hash="x", role="unit_admin", created_at=clock()))
    _expect_integrity_error(session)


def test_contest_slug_is_unique(session, clock) -> None:
    first = make_contest(session, clock(), slug="a")
    session.add(Contest(slug="a", title="again", created_at=clock(), body_id=first.body_id))
    _expect_integrity_error(session)


def test_round_must_close_after_it_opens(session, clock) -> None:
    contest = make_contest(session, clock())
    session.add(
        Round(contest=contest, name="R", opens_at=clock(), closes_at=clock(), question_count=5, time_limit_s=60)
    )
    _expect_integrity_error(session)


def test_round_name_is_unique_within_a_contest(session, clock, round_) -> None:
    session.add(
        Round(
            contest=round_.contest,
            name=round_.name,
            opens_at=clock(),
            closes_at=clock() + timedelta(days=1),
            question_count=5,
            time_limit_s=60,
        )
    )
    _expect_integrity_error(session)


def test_round_needs_positive_question_count(session, clock) -> None:
    contest = make_contest(session, clock())
    session.add(
        Round(
            contest=contest,
            name="R",
            opens_at=clock(),
            closes_at=clock() + timedelta(days=1),
            question_count=0,
            time_limit_s=60,
        )
    )
    _expect_integrity_error(session)


def test_one_attempt_number_per_user_and_round(session, clock, round_) -> None:
    user = make_user(session, clock())
    session.add(_attempt(user, round_, clock(), status="submitted", submitted_at=clock(), score=1))
    session.flush()
    session.add(_attempt(user, round_, clock(), status="submitted", submitted_at=clock(), score=2))
    _expect_integrity_error(session)


def test_at_most_one_unfinished_attempt_per_user_and_round(session, clock, round_) -> None:
    user = make_user(session, clock())
    session.add(_attempt(user, round_, clock(), number=1))
    session.flush()
    session.add(_attempt(user, round_, clock(), number=2))
    _expect_integrity_error(session)


def test_finished_attempts_may_be_many(session, clock, round_) -> None:
    user = make_user(session, clock())
    for number in (1, 2, 3):
        session.add(_attempt(user, round_, clock(), number=number, status="submitted", submitted_at=clock(), score=5))
    session.add(_attempt(user, round_, clock(), number=4))
    session.flush()
    assert session.scalar(select(Attempt.id).where(Attempt.number == 4)) is not None


def test_attempt_score_cannot_exceed_total(session, clock, round_) -> None:
    user = make_user(session, clock())
    session.add(_attempt(user, round_, clock(), status="submitted", submitted_at=clock(), score=11))
    _expect_integrity_error(session)


def test_submitted_attempt_needs_submitted_at(session, clock, round_) -> None:
    user = make_user(session, clock())
    session.add(_attempt(user, round_, clock(), status="submitted"))
    _expect_integrity_error(session)


def test_deadline_must_follow_start(session, clock, round_) -> None:
    user = make_user(session, clock())
    session.add(_attempt(user, round_, clock(), deadline=clock()))
    _expect_integrity_error(session)


def test_times_come_back_as_aware_utc(session, clock) -> None:
    contest = make_contest(session, clock())
    vietnam = datetime(2026, 10, 10, 15, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    contest.created_at = vietnam
    session.commit()
    session.expire_all()
    stored = session.get(Contest, contest.id).created_at
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == datetime(2026, 10, 10, 8, 0, tzinfo=UTC)


def test_naive_times_are_refused(session, clock) -> None:
    contest = make_contest(session, clock())
    contest.created_at = datetime(2026, 1, 1, 0, 0)
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()
    session.rollback()
