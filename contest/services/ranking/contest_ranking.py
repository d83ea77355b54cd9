"""Across the whole contest: individuals by their best scores summed over the rounds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest.models import Attempt, Contest, Round, Unit, User
from contest.services.cache import cached
from contest.services.people.privacy import public_name
from contest.services.ranking.rules import counted, public_as_of

WHOLE_CONTEST_TTL_S = 5.0


def cached_contest_individuals(
    session: Session, contest: Contest, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """The same, computed by one reader every few seconds: it sums every round, too heavy to run per view."""
    entries, total = cached(
        f"contest:{contest.slug}:all:{limit}:{offset}",
        WHOLE_CONTEST_TTL_S,
        lambda: contest_individuals(session, contest, limit=limit, offset=offset),
    )
    return entries, total


def contest_individuals(
    session: Session, contest: Contest, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Each participant's best score in every round, summed; ties: less total time, then earlier last submission.
    Hidden boards count nothing and frozen ones count what was submitted before the freeze, until ranked."""
    best = (
        select(
            Attempt.user_id,
            Attempt.round_id,
            func.max(Attempt.score).label("score"),
            func.min(Attempt.duration_ms).filter(Attempt.score.isnot(None)).label("duration_ms"),
            func.max(Attempt.submitted_at).label("submitted_at"),
        )
        .join(Round, Round.id == Attempt.round_id)
        .where(Round.contest_id == contest.id, counted(), public_as_of(Attempt.submitted_at))
        .group_by(Attempt.user_id, Attempt.round_id)
        .subquery()
    )
    totals = (
        select(
            best.c.user_id,
            func.sum(best.c.score).label("score"),
            func.sum(best.c.duration_ms).label("duration_ms"),
            func.count(best.c.round_id).label("rounds"),
            func.max(best.c.submitted_at).label("last"),
        )
        .group_by(best.c.user_id)
        .subquery()
    )
    total = session.scalar(select(func.count()).select_from(totals)) or 0
    rows = session.execute(
        select(totals, User.name, Unit.name)
        .join(User, User.id == totals.c.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .order_by(totals.c.score.desc(), totals.c.duration_ms.asc(), totals.c.last.asc(), totals.c.user_id.asc())
        .limit(limit)
        .offset(offset)
    ).all()
    entries = [
        {
            "rank": offset + index,
            "name": public_name(name, contest.name_display),
            "unit": unit or "",
            "score": score,
            "duration_ms": duration,
            "rounds": rounds,
        }
        for index, (_user, score, duration, rounds, _last, name, unit) in enumerate(rows, start=1)
    ]
    return entries, total
