"""A national round has more finished attempts than one SQL statement can list as parameters (65,535
on PostgreSQL): the question analysis and the integrity flags still read all of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from contest.models import Attempt, AttemptItem
from contest.services.banks.analysis import analyse
from contest.services.quiz.integrity import flags
from tests.factories import make_bank, make_contest, make_round, make_user

ATTEMPTS = 66_000


@pytest.mark.slow
def test_analysis_and_flags_read_a_round_larger_than_one_statements_parameters(session, clock) -> None:
    bank = make_bank(session, clock(), questions=1)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=1)
    round_.max_attempts = None
    user = make_user(session, clock())
    question = bank.questions[0]
    start = clock()
    session.execute(
        insert(Attempt),
        [
            {
                "user_id": user.id,
                "round_id": round_.id,
                "number": number,
                "started_at": start,
                "deadline": start + timedelta(minutes=15),
                "submitted_at": start + timedelta(minutes=1),
                "status": "submitted",
                "total": 1,
                "score": number % 2,  # every other attempt right
                "duration_ms": 60_000,
                "seed": number,
            }
            for number in range(1, ATTEMPTS + 1)
        ],
    )
    options = [{"id": option.id, "text": option.text, "correct": option.is_correct} for option in question.options]
    right = next(option["id"] for option in options if option["correct"])
    wrong = next(option["id"] for option in options if not option["correct"])
    snapshot = {"text": question.text, "multiple": False, "options": options}
    attempts = session.execute(select(Attempt.id, Attempt.score).where(Attempt.round_id == round_.id)).all()
    session.execute(
        insert(AttemptItem),
        [
            {
                "attempt_id": attempt_id,
                "position": 1,
                "question_id": question.id,
                "snapshot": snapshot,
                "chosen": [right if score else wrong],
            }
            for attempt_id, score in attempts
        ],
    )
    session.commit()

    [stat] = analyse(session, round_)
    assert (stat.seen, stat.right, stat.facility, stat.discrimination) == (ATTEMPTS, ATTEMPTS // 2, 0.5, 1.0)
    assert sum(option.chosen for option in stat.options) == ATTEMPTS
    assert flags(session, round_) == []  # one account, one minute each, no address: nothing to flag
