"""Keys do not travel between rounds: a round draws only questions whose right answers no round has shown to a
participant, from a pool fixed at its first draw (two rounds on one bank)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from contest.models import AttemptItem, AuditEntry
from contest.services.console.rounds import create_round, draw_warnings
from contest.services.quiz.attempts import finish_attempt, start_attempt
from contest.services.quiz.round_pool import pool_size, revealed_ids
from contest.services.shared.audit import Actor
from contest.services.shared.errors import InvalidInput
from tests.factories import make_bank, make_contest, make_round, make_unit, make_user


def _questions(session, attempt_id: int) -> set[int]:
    return set(session.scalars(select(AttemptItem.question_id).where(AttemptItem.attempt_id == attempt_id)))


def _take(session, round_, user, now) -> set[int]:
    """A whole attempt: started and submitted at `now`; the questions it drew."""
    attempt = start_attempt(session, user, round_, now=now).attempt
    finish_attempt(session, attempt, now=now + timedelta(minutes=1), finished_by="participant")
    session.flush()
    return _questions(session, attempt.id)


def test_a_round_never_draws_what_a_closed_round_showed_with_its_key(session, clock) -> None:
    now = clock()
    bank = make_bank(session, now, questions=12)
    contest = make_contest(session, now)
    week1 = make_round(session, contest, now, bank=bank, name="Tuần 1", opens_in=timedelta(days=-8), questions=4)
    week2 = make_round(session, contest, now, bank=bank, name="Tuần 2", opens_in=timedelta(hours=-1), questions=4)
    week1.closes_at = week2.opens_at  # reviewed after its close (the default): its key is shown from then on
    unit = make_unit(session)
    people = [make_user(session, now, unit=unit) for _ in range(2)]
    shown = set().union(*(_take(session, week1, person, week1.opens_at + timedelta(hours=1)) for person in people))
    assert 4 <= len(shown) <= 8
    assert revealed_ids(session, bank.id, now) == shown

    drawn: set[int] = set()
    for _ in range(20):  # many draws: none of them meets a question whose key last week showed
        drawn |= _take(session, week2, make_user(session, now, unit=unit), now)
    assert drawn and not drawn & shown
    assert pool_size(session, week2) == 12 - len(shown)


def test_the_pool_is_fixed_at_the_first_draw_so_a_round_closing_meanwhile_cannot_empty_it(session, clock) -> None:
    now = clock()
    bank = make_bank(session, now, questions=12)
    contest = make_contest(session, now)
    first = make_round(session, contest, now, bank=bank, name="Vòng 1", questions=6)
    second = make_round(session, contest, now, bank=bank, name="Vòng 2", questions=12)  # every question
    unit = make_unit(session)
    _take(session, second, make_user(session, now, unit=unit), now)  # the second round's first draw: all 12
    _take(session, first, make_user(session, now, unit=unit), now)
    first.closed_at = now + timedelta(minutes=5)  # closed early: its six questions are revealed from then
    later = now + timedelta(hours=1)
    assert len(revealed_ids(session, bank.id, later)) == 6
    assert len(_take(session, second, make_user(session, later, unit=unit), later)) == 12  # still draws all 12
    assert pool_size(session, second) == 12


def test_a_key_shown_after_each_attempt_is_revealed_at_once_and_in_every_bank(session, clock) -> None:
    now = clock()
    bank = make_bank(session, now, questions=12)
    copy = make_bank(session, now, name="Bản sao", questions=12)  # the same questions in another bank
    contest = make_contest(session, now)
    open_with_key = make_round(session, contest, now, bank=bank, name="Luyện", questions=4)
    open_with_key.review, open_with_key.max_attempts = "attempt_with_key", 1
    shown = _take(session, open_with_key, make_user(session, now, unit=make_unit(session)), now)
    assert revealed_ids(session, bank.id, now + timedelta(seconds=61)) == shown  # the round is still open
    assert len(revealed_ids(session, copy.id, now + timedelta(seconds=61))) == len(shown)
    never = make_round(session, contest, now, bank=bank, name="Kín", questions=4)
    never.review = "never"
    _take(session, never, make_user(session, now, unit=make_unit(session, "U2")), now)
    assert revealed_ids(session, bank.id, now + timedelta(days=30)) == shown  # a round that never shows: nothing


def test_round_create_refuses_a_draw_the_unrevealed_questions_cannot_meet_unless_reuse_is_chosen(
    session, clock
) -> None:
    now = clock()
    bank = make_bank(session, now, questions=12)
    contest = make_contest(session, now)
    week1 = make_round(session, contest, now, bank=bank, name="Tuần 1", opens_in=timedelta(days=-8), questions=10)
    week1.closes_at = now - timedelta(hours=1)
    shown = _take(session, week1, make_user(session, now, unit=make_unit(session)), week1.opens_at)
    assert len(shown) == 10  # two questions of twelve are left unrevealed
    actor = Actor.command_line()
    settings = {
        "opens_at": now + timedelta(days=1),
        "closes_at": now + timedelta(days=8),
        "question_count": 4,
        "minutes": 10,
        "bank_name": bank.name,
    }
    with pytest.raises(InvalidInput) as refused:
        create_round(session, contest=contest, actor=actor, now=now, name="Tuần 2", **settings)
    assert "no round has shown yet" in str(refused.value) and "has 2 questions" in str(refused.value)
    reused = create_round(
        session, contest=contest, actor=actor, now=now, name="Tuần 2b", reuse_revealed=True, **settings
    )
    audit = session.scalar(select(AuditEntry).where(AuditEntry.target == f"round:{reused.id}"))
    assert audit.after["reuse_revealed"] is True
    assert any("you chose so" in warning for warning in draw_warnings(session, reused, now))


def test_the_form_warns_of_rounds_that_will_show_their_key_before_this_one_opens(session, clock) -> None:
    now = clock()
    bank = make_bank(session, now, questions=12)
    contest = make_contest(session, now)
    week1 = make_round(session, contest, now, bank=bank, name="Tuần 1", questions=4)  # closes in 7 days
    later = create_round(
        session,
        contest=contest,
        actor=Actor.command_line(),
        now=now,
        name="Tuần 3",
        opens_at=week1.closes_at + timedelta(days=1),
        closes_at=week1.closes_at + timedelta(days=8),
        question_count=4,
        minutes=10,
        bank_name=bank.name,
    )
    warnings = draw_warnings(session, later, now)
    assert len(warnings) == 1 and "Tuần 1" in warnings[0]


def test_a_key_shown_while_a_round_is_open_is_warned_about(session, clock) -> None:
    now = clock()
    bank = make_bank(session, now, questions=12)
    contest = make_contest(session, now)
    short = make_round(session, contest, now, bank=bank, name="Vòng ngắn", questions=4, lasts=timedelta(days=2))
    long = create_round(
        session,
        contest=contest,
        actor=Actor.command_line(),
        now=now,
        name="Vòng dài",
        opens_at=now,
        closes_at=now + timedelta(days=10),  # the short round shows its key after its close, while this one is open
        question_count=4,
        minutes=10,
        bank_name=bank.name,
    )
    warnings = draw_warnings(session, long, now)
    assert len(warnings) == 1 and "while this round is open" in warnings[0] and short.name in warnings[0]
