"""Integrity flags on crafted attempts: impossibly fast attempts, identical answers across accounts."""

from __future__ import annotations

from datetime import timedelta

from contest.models import Attempt, AttemptItem, Round
from contest.services.integrity import flags
from tests.factories import make_bank, make_contest, make_round, make_user


def _attempt(session, clock, round_: Round, questions, *, duration_ms: int, picks: list[int], order=None):  # type: ignore[no-untyped-def]
    user = make_user(session, clock())
    attempt = Attempt(
        user=user,
        round=round_,
        number=1,
        started_at=clock(),
        deadline=clock() + timedelta(minutes=10),
        submitted_at=clock(),
        status="submitted",
        total=len(questions),
        score=sum(p == 0 for p in picks),
        duration_ms=duration_ms,
        seed=1,
    )
    session.add(attempt)
    session.flush()
    shown = order or list(range(len(questions)))
    for position, index in enumerate(shown, start=1):
        question = questions[index]
        options = [{"id": o.id, "text": o.text, "correct": o.is_correct} for o in question.options]
        session.add(
            AttemptItem(
                attempt=attempt,
                position=position,
                question_id=question.id,
                snapshot={"text": question.text, "multiple": False, "options": options},
                chosen=[options[picks[index]]["id"]],
            )
        )
    return attempt


def test_fast_attempts_and_identical_answers_are_flagged(session, clock) -> None:
    bank = make_bank(session, clock(), questions=6)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=6)
    questions = bank.questions
    fast = _attempt(session, clock, round_, questions, duration_ms=12_000, picks=[0, 0, 1, 0, 2, 0])
    copied = [1, 0, 2, 3, 0, 1]
    first = _attempt(session, clock, round_, questions, duration_ms=400_000, picks=copied)
    second = _attempt(session, clock, round_, questions, duration_ms=380_000, picks=copied, order=[5, 4, 3, 2, 1, 0])
    honest = _attempt(session, clock, round_, questions, duration_ms=300_000, picks=[0, 1, 0, 0, 3, 0])
    session.commit()
    found = flags(session, round_)
    assert [(flag.kind, flag.attempt_id) for flag in found] == [
        ("same_answers", first.id),
        ("same_answers", second.id),
        ("too_fast", fast.id),
    ]
    assert honest.id not in {flag.attempt_id for flag in found}
    assert found[2].detail == "12.0 s / 6"


def test_integrity_page(session, clock, client, auth) -> None:
    bank = make_bank(session, clock(), questions=6)
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank, questions=6)
    _attempt(session, clock, round_, bank.questions, duration_ms=5_000, picks=[0] * 6)
    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    auth.login("0900000001")
    page = client.get(f"/admin/rounds/{round_.id}/integrity").get_data(as_text=True)
    assert "Dấu hiệu bất thường" in page and "5.0 s / 6" in page
