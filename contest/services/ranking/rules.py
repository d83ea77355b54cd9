"""Ranking a round by the published rules (CONTRACT §5).

One entry per participant: the best attempt. The live order is score, then duration, then
submission time. At `round close` the contest's chain applies, with the prediction tie-break,
whose actual value is counted from the data; a last link, the order attempts were recorded in,
decides whatever the chain leaves equal, so every place is decided and its reason is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Subquery, and_, delete, func, insert, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from contest.models import Attempt, RankingEntry, Round, User
from contest.models.attempts import FINISHED
from contest.models.contests import DEFAULT_RANKING_CHAIN
from contest.services.ranking import tables
from contest.services.ranking.prizes import allocate
from contest.services.shared.paging import batches

LAST_LINK = "record_order"
LINK_LABELS = {
    "score": _l("higher score"),
    "prediction": _l("closer prediction"),
    "duration": _l("shorter time"),
    "submitted_at": _l("earlier submission"),
    "started_at": _l("earlier start"),
    "top_score_attempts": _l("more attempts with the top score"),
    LAST_LINK: _l("recorded earlier"),
}


def counted() -> ColumnElement[bool]:
    """Attempts that count in rankings: finished, and not disqualified by an organizer."""
    return and_(Attempt.status.in_(FINISHED), Attempt.disqualified_at.is_(None))


def public_as_of(moment: QueryableAttribute[Any] | ColumnElement[Any]) -> ColumnElement[bool]:
    """What the public may count of a round's attempts (the query joins Round): everything once the round is
    ranked for good; before that nothing of a hidden board, and of a frozen board only what `moment` (the
    attempt's start or submission) places before the freeze. Every public aggregate obeys it."""
    return or_(
        Round.finalized_at.is_not(None),
        and_(
            Round.board_hidden.is_(False),
            or_(Round.board_frozen_at.is_(None), moment <= Round.board_frozen_at),
        ),
    )


def best_attempts(round_id: int, *, until: datetime | None = None) -> Subquery:
    """Each participant's best finished attempt in the round, by the live order."""
    order = func.row_number().over(
        partition_by=Attempt.user_id,
        order_by=(Attempt.score.desc(), Attempt.duration_ms.asc(), Attempt.submitted_at.asc(), Attempt.id.asc()),
    )
    query = select(
        Attempt.id,
        Attempt.user_id,
        Attempt.score,
        Attempt.total,
        Attempt.duration_ms,
        Attempt.started_at,
        Attempt.submitted_at,
        Attempt.prediction,
        order.label("place_in_own"),
    ).where(Attempt.round_id == round_id, counted())
    if until is not None:
        query = query.where(Attempt.submitted_at <= until)
    ranked = query.subquery()
    return select(ranked).where(ranked.c.place_in_own == 1).subquery("best")


def live_order(best: Subquery) -> tuple[Any, ...]:
    return (best.c.score.desc(), best.c.duration_ms.asc(), best.c.submitted_at.asc(), best.c.id.asc())


@dataclass(frozen=True)
class LiveRank:
    rank: int
    participants: int
    is_best: bool  # whether this attempt is the participant's best, the one that counts


def live_rank(
    session: Session, attempt: Attempt, *, until: datetime | None = None, categories: Sequence[str] | None = None
) -> LiveRank | None:
    """The place of the person's best attempt among everyone's best ones (submitted by `until`, the moment a board
    was frozen; among the people of `categories`, a table's); None when it does not count (yet)."""
    if attempt.status not in FINISHED or attempt.disqualified_at is not None:
        return None
    best = best_attempts(attempt.round_id, until=until)
    if categories is not None:
        in_table = select(User.id).where(User.category.in_(list(categories)))
        best = select(best).where(best.c.user_id.in_(in_table)).subquery("best_in_table")
    mine = session.execute(select(best).where(best.c.user_id == attempt.user_id)).first()
    if mine is None:  # not among them: after the freeze, or outside the table
        return None
    better = or_(
        best.c.score > mine.score,
        and_(best.c.score == mine.score, best.c.duration_ms < mine.duration_ms),
        and_(
            best.c.score == mine.score,
            best.c.duration_ms == mine.duration_ms,
            or_(
                best.c.submitted_at < mine.submitted_at,
                and_(best.c.submitted_at == mine.submitted_at, best.c.id < mine.id),
            ),
        ),
    )
    ahead = session.scalar(select(func.count()).select_from(best).where(better)) or 0
    participants = session.scalar(select(func.count()).select_from(best)) or 0
    return LiveRank(rank=ahead + 1, participants=participants, is_best=mine.id == attempt.id)


@dataclass
class Candidate:
    attempt_id: int
    user_id: int
    score: int
    total: int
    duration_ms: int
    started_at: datetime
    submitted_at: datetime
    prediction: int | None
    top_score_attempts: int = 0


def load_candidates(session: Session, round_: Round) -> list[Candidate]:
    best = best_attempts(round_.id)
    rows = session.execute(
        select(
            best.c.id,
            best.c.user_id,
            best.c.score,
            best.c.total,
            best.c.duration_ms,
            best.c.started_at,
            best.c.submitted_at,
            best.c.prediction,
        )
    ).all()
    candidates = [Candidate(*row) for row in rows]
    if "top_score_attempts" in chain_of(round_):
        counts = dict(
            session.execute(
                select(Attempt.user_id, func.count(Attempt.id))
                .where(Attempt.round_id == round_.id, counted(), Attempt.score == Attempt.total)
                .group_by(Attempt.user_id)
            ).all()
        )
        for candidate in candidates:
            candidate.top_score_attempts = counts.get(candidate.user_id, 0)
    return candidates


def chain_of(round_: Round) -> list[str]:
    chain = list(round_.contest.ranking_chain or DEFAULT_RANKING_CHAIN)
    if round_.prediction == "none":
        chain = [link for link in chain if link != "prediction"]
    return chain


def actual_value(round_: Round, candidates: Sequence[Candidate]) -> int | None:
    """What predictions are compared with: participants with a full score, or all participants."""
    if round_.prediction == "full_score":
        return sum(1 for candidate in candidates if candidate.score == candidate.total)
    if round_.prediction == "participants":
        return len(candidates)
    return None


def _key(candidate: Candidate, link: str, actual: int | None) -> Any:
    """Smaller is better for every link."""
    if link == "score":
        return -candidate.score
    if link == "prediction":
        if candidate.prediction is None or actual is None:
            return float("inf")
        return abs(candidate.prediction - actual)
    if link == "duration":
        return candidate.duration_ms
    if link == "submitted_at":
        return candidate.submitted_at
    if link == "started_at":
        return candidate.started_at
    if link == "top_score_attempts":
        return -candidate.top_score_attempts
    if link == LAST_LINK:
        return candidate.attempt_id
    raise ValueError(f"unknown ranking link {link!r}")


@dataclass(frozen=True)
class Ranked:
    rank: int
    candidate: Candidate
    decided_by: str | None  # the first link that separates this entry from the one above
    prediction_distance: int | None


def rank_candidates(candidates: Sequence[Candidate], chain: Sequence[str], actual: int | None) -> list[Ranked]:
    links = [*chain, LAST_LINK]
    ordered = sorted(candidates, key=lambda candidate: tuple(_key(candidate, link, actual) for link in links))
    ranked: list[Ranked] = []
    for index, candidate in enumerate(ordered):
        decided_by = None
        if index:
            previous = ordered[index - 1]
            decided_by = next(link for link in links if _key(previous, link, actual) != _key(candidate, link, actual))
        distance = None
        if candidate.prediction is not None and actual is not None:
            distance = abs(candidate.prediction - actual)
        ranked.append(Ranked(index + 1, candidate, decided_by, distance))
    return ranked


def finalize_ranking(session: Session, round_: Round, now: datetime) -> list[Ranked]:
    """Compute the final ranking and store it (replacing an earlier one). In a contest with tables each table is
    ranked apart too (same chain, same actual value): its places, the link that decided each pair of neighbours in
    it, and its prizes."""
    candidates = load_candidates(session, round_)
    actual = actual_value(round_, candidates)
    chain = chain_of(round_)
    ranked = rank_candidates(candidates, chain, actual)
    session.execute(delete(RankingEntry).where(RankingEntry.round_id == round_.id))
    in_table: dict[int, tuple[str, Ranked]] = {}
    table_of = tables.table_of_category(round_.contest)
    if table_of:
        took_part = select(Attempt.user_id).where(Attempt.round_id == round_.id)
        categories = dict(session.execute(select(User.id, User.category).where(User.id.in_(took_part))).all())
        members: dict[str, list[Candidate]] = {}
        for entry in ranked:  # in the round's order: each table's list keeps it
            key = table_of.get(categories.get(entry.candidate.user_id) or "")
            if key is not None:
                members.setdefault(key, []).append(entry.candidate)
        prizes: dict[int, str] = {}
        for key, people in members.items():
            for table_place in rank_candidates(people, chain, actual):
                in_table[table_place.candidate.user_id] = (key, table_place)
            prizes.update(allocate(session, round_, [candidate.user_id for candidate in people]))
    else:
        prizes = allocate(session, round_, [entry.candidate.user_id for entry in ranked])
    rows = []
    for entry in ranked:
        table_key: str | None = None
        placed: Ranked | None = None
        if entry.candidate.user_id in in_table:
            table_key, placed = in_table[entry.candidate.user_id]
        rows.append(
            {
                "round_id": round_.id,
                "rank": entry.rank,
                "user_id": entry.candidate.user_id,
                "attempt_id": entry.candidate.attempt_id,
                "score": entry.candidate.score,
                "total": entry.candidate.total,
                "duration_ms": entry.candidate.duration_ms,
                "started_at": entry.candidate.started_at,
                "submitted_at": entry.candidate.submitted_at,
                "prediction": entry.candidate.prediction,
                "prediction_distance": entry.prediction_distance,
                "decided_by": placed.decided_by if placed is not None else entry.decided_by,
                "prize": prizes.get(entry.candidate.user_id),
                "table_key": table_key,
                "table_rank": placed.rank if placed is not None else None,
            }
        )
    for some in batches(rows, 5000):
        session.execute(insert(RankingEntry), some)
    round_.actual_value = actual
    round_.finalized_at = now
    return ranked
