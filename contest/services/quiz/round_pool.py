"""What a round may draw: the one place that says which questions of a bank are still fit for a round.

A question is revealed once a round has shown its key to a participant: a round reviewed after its close (or whose
own answers are shown after the attempt and the key after the close) from its closing moment; a round that shows
the key right after each attempt from that attempt's end. Revealed questions are worked out from the rounds and
their attempts, never marked by an event (rounds close by time). A round draws from the bank's unrevealed
questions, fixed at its first draw and stored, so that every attempt of the round draws from the same pool and a
round closing meanwhile cannot empty an open one; an organizer who wants to reuse revealed questions says so (the
round's `reuse_revealed`). A round of a contest that requires review draws only questions a second person checked
(services.banks.review), by the same rule: fixed at its first draw.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import CursorResult, and_, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from contest.models import Attempt, AttemptItem, Question, QuestionBank, Round, RoundPoolQuestion
from contest.models.attempts import FINISHED
from contest.services.quiz.pool import BankContent, bank_content
from question_bank.draw import QuestionPool

# Reviews that show the key once the round is over, and the one that shows it after each attempt.
KEY_AFTER_CLOSE = ("after_close", "after_attempt")
KEY_AFTER_ATTEMPT = ("attempt_with_key",)
CACHED_ROUNDS = 64


def _revealing(at: datetime, excluding: int | None) -> list[ColumnElement[bool]]:
    """The conditions under which an attempt's questions are revealed by `at`."""
    closed_moment = func.coalesce(Round.closed_at, Round.closes_at)
    conditions = [
        or_(
            and_(Round.review.in_(KEY_AFTER_CLOSE), closed_moment <= at),
            and_(Round.review.in_(KEY_AFTER_ATTEMPT), Attempt.status.in_(FINISHED), Attempt.submitted_at <= at),
        ),
    ]
    if excluding is not None:
        conditions.append(Round.id != excluding)
    return conditions


def revealed_ids(session: Session, bank_id: int, at: datetime, *, excluding: int | None = None) -> set[int]:
    """The bank's questions whose key a round (other than `excluding`) has shown to a participant by `at`: the
    questions it drew, and the same questions in any other bank (equal text and options: the key is the same)."""
    drawn = aliased(Question)
    shown = (
        select(drawn.fingerprint)
        .join(AttemptItem, AttemptItem.question_id == drawn.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Round, Round.id == Attempt.round_id)
        .where(*_revealing(at, excluding))
    )
    # a practice bank shows its key to anyone: its questions (and the same ones elsewhere) are revealed too
    practised = aliased(Question)
    practice = (
        select(practised.fingerprint)
        .join(QuestionBank, QuestionBank.id == practised.bank_id)
        .where(QuestionBank.practice_since.is_not(None), QuestionBank.practice_since <= at)
    )
    rows = session.scalars(
        select(Question.id).where(
            Question.bank_id == bank_id, or_(Question.fingerprint.in_(shown), Question.fingerprint.in_(practice))
        )
    )
    return set(rows)


@dataclass(frozen=True)
class Availability:
    """A bank's active questions by (topic, difficulty): all of them, and those no round has revealed."""

    total: Counter[tuple[str, str]]
    unrevealed: Counter[tuple[str, str]]

    @property
    def revealed(self) -> int:
        return sum(self.total.values()) - sum(self.unrevealed.values())


def availability(session: Session, bank: QuestionBank, at: datetime, *, checked_only: bool = False) -> Availability:
    """`unrevealed`: what a new round may draw; with `checked_only` (a contest requiring review), of the checked
    questions only."""
    revealed = revealed_ids(session, bank.id, at)
    rows = session.execute(
        select(Question.id, Question.topic, Question.difficulty, Question.review_state).where(
            Question.bank_id == bank.id, Question.active.is_(True)
        )
    ).all()
    total = Counter((topic, difficulty) for _id, topic, difficulty, _state in rows)
    unrevealed = Counter(
        (topic, difficulty)
        for question_id, topic, difficulty, state in rows
        if question_id not in revealed and (state == "checked" or not checked_only)
    )
    return Availability(total, unrevealed)


def unrevealed_pool(
    session: Session, bank: QuestionBank, at: datetime, *, excluding: int | None = None
) -> QuestionPool:
    """The bank's active, unrevealed questions as a draw pool (the round form checks a draw against it)."""
    content = bank_content(session, bank)
    revealed = revealed_ids(session, bank.id, at, excluding=excluding)
    return _pool_of(content, set(content.questions) - revealed)


def checked_ids(session: Session, bank_id: int) -> set[int]:
    """The bank's questions whose key a second person checked."""
    return set(
        session.scalars(select(Question.id).where(Question.bank_id == bank_id, Question.review_state == "checked"))
    )


def checked_pool(
    session: Session, bank: QuestionBank, at: datetime, *, excluding: int | None = None, reuse_revealed: bool = False
) -> QuestionPool:
    """What a round of a contest requiring review would draw: the checked questions in use (unrevealed, unless
    the round reuses revealed ones)."""
    content = bank_content(session, bank)
    allowed = set(content.questions) & checked_ids(session, bank.id)
    if not reuse_revealed:
        allowed -= revealed_ids(session, bank.id, at, excluding=excluding)
    return _pool_of(content, allowed)


def _pool_of(content: BankContent, allowed: set[int]) -> QuestionPool:
    cells: dict[tuple[str, str, str], list[int]] = {}
    for cell, ids in content.pool.cells.items():
        kept = [question_id for question_id in ids if question_id in allowed]
        if kept:
            cells[cell] = kept
    return QuestionPool(cells)


def rounds_revealing_before(session: Session, bank: QuestionBank, opens_at: datetime, now: datetime) -> list[Round]:
    """Rounds on the bank that will show their key between now and `opens_at` (they may reveal more questions
    before this round's first draw): the round form warns of them."""
    closed_moment = func.coalesce(Round.closed_at, Round.closes_at)
    return list(
        session.scalars(
            select(Round)
            .where(
                Round.bank_id == bank.id,
                or_(
                    and_(Round.review.in_(KEY_AFTER_CLOSE), closed_moment > now, closed_moment <= opens_at),
                    and_(Round.review.in_(KEY_AFTER_ATTEMPT), Round.opens_at < opens_at, closed_moment > now),
                ),
            )
            .order_by(Round.closes_at)
        )
    )


class _RoundPools:
    def __init__(self) -> None:
        self.entries: LRUCache[tuple[int, int, str, bool], QuestionPool] = LRUCache(maxsize=CACHED_ROUNDS)
        self.lock = threading.Lock()


def _cache() -> _RoundPools:
    pools: _RoundPools = current_app.extensions.setdefault("round_pool_cache", _RoundPools())
    return pools


def fix_pool(session: Session, round_: Round, now: datetime) -> None:
    """Store the round's pool at its first draw: the bank's active questions, less the revealed ones unless the
    round reuses them, and only the checked ones when the contest requires review. Two first draws at once: one
    fixes it, the other waits for it (the row's lock) and uses it."""
    if round_.pool_fixed_at is not None or round_.bank is None:
        return
    won = cast(
        CursorResult[Any],
        session.execute(
            update(Round).where(Round.id == round_.id, Round.pool_fixed_at.is_(None)).values(pool_fixed_at=now)
        ),
    ).rowcount
    if not won:
        session.expire(round_, ["pool_fixed_at"])
        return
    content = bank_content(session, round_.bank)
    allowed = set(content.questions)
    if not round_.reuse_revealed:
        allowed -= revealed_ids(session, round_.bank.id, now, excluding=round_.id)
    if round_.contest.require_review:
        allowed &= checked_ids(session, round_.bank.id)
    if allowed:
        session.execute(
            insert(RoundPoolQuestion),
            [{"round_id": round_.id, "question_id": question_id} for question_id in sorted(allowed)],
        )
    session.expire(round_, ["pool_fixed_at"])


def round_draw_pool(session: Session, round_: Round, content: BankContent, now: datetime) -> QuestionPool:
    """What this round's attempts draw from: its fixed pool, less questions deactivated since (the bank's
    revision) and, in a contest that requires review, less those no longer checked; read once per round and
    revision in each process."""
    fix_pool(session, round_, now)
    # the moment the pool was fixed is part of the key: a first draw rolled back leaves nothing behind that a later
    # one (with other settings) would read
    fixed = round_.pool_fixed_at.isoformat() if round_.pool_fixed_at else ""
    key = (round_.id, content.revision, fixed, round_.contest.require_review)  # the contest is loaded by the start
    cache = _cache()
    with cache.lock:
        cached = cache.entries.get(key)
    if cached is not None:
        return cached
    allowed = set(session.scalars(select(RoundPoolQuestion.question_id).where(RoundPoolQuestion.round_id == round_.id)))
    if round_.contest.require_review:  # a question disputed or edited since the pool was fixed is drawn no more
        allowed &= checked_ids(session, round_.bank_id or 0)
    pool = _pool_of(content, allowed)
    with cache.lock:
        cache.entries[key] = pool
    return pool


def pool_size(session: Session, round_: Round) -> int | None:
    """How many questions the round's fixed pool holds (None before its first draw)."""
    if round_.pool_fixed_at is None:
        return None
    return session.scalar(select(func.count()).where(RoundPoolQuestion.round_id == round_.id)) or 0
