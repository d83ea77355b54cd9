"""Ranking of a round, live order (CONTRACT §5 without the prediction, known only at close):
one entry per participant, the best attempt; higher score, then shorter duration, then earlier
submission."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Subquery, and_, func, or_, select
from sqlalchemy.orm import Session

from contest.models import Attempt

FINISHED = ("submitted", "expired")


def best_attempts(round_id: int) -> Subquery:
    """Each participant's best finished attempt in the round, by the live order."""
    order = func.row_number().over(
        partition_by=Attempt.user_id,
        order_by=(Attempt.score.desc(), Attempt.duration_ms.asc(), Attempt.submitted_at.asc(), Attempt.id.asc()),
    )
    ranked = (
        select(
            Attempt.id,
            Attempt.user_id,
            Attempt.score,
            Attempt.duration_ms,
            Attempt.submitted_at,
            order.label("place_in_own"),
        )
        .where(Attempt.round_id == round_id, Attempt.status.in_(FINISHED))
        .subquery()
    )
    return select(ranked).where(ranked.c.place_in_own == 1).subquery("best")


@dataclass(frozen=True)
class LiveRank:
    rank: int
    participants: int
    is_best: bool  # whether this attempt is the participant's best, the one that counts


def live_rank(session: Session, attempt: Attempt) -> LiveRank | None:
    if attempt.status not in FINISHED:
        return None
    best = best_attempts(attempt.round_id)
    mine = session.execute(select(best).where(best.c.user_id == attempt.user_id)).one()
    better = or_(
        best.c.score > mine.score,
        and_(best.c.score == mine.score, best.c.duration_ms < mine.duration_ms),
        and_(
            best.c.score == mine.score,
            best.c.duration_ms == mine.duration_ms,
            best.c.submitted_at < mine.submitted_at,
        ),
    )
    ahead = session.scalar(select(func.count()).select_from(best).where(better)) or 0
    participants = session.scalar(select(func.count()).select_from(best)) or 0
    return LiveRank(rank=ahead + 1, participants=participants, is_best=mine.id == attempt.id)
