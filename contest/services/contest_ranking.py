"""Across the whole contest: individuals by their best scores summed over the rounds, and the
units' daily bulletin of participation (provinces publish it every day at a set hour)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from contest import clock
from contest.models import Attempt, Contest, Round, Unit, User
from contest.models.attempts import FINISHED
from contest.services.privacy import public_name
from contest.services.ranking import counted


def contest_individuals(
    session: Session, contest: Contest, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict], int]:  # type: ignore[type-arg]
    """Each participant's best score in every round, summed; ties: less total time, then earlier last submission."""
    best = (
        select(
            Attempt.user_id,
            Attempt.round_id,
            func.max(Attempt.score).label("score"),
            func.min(Attempt.duration_ms).filter(Attempt.score.isnot(None)).label("duration_ms"),
            func.max(Attempt.submitted_at).label("submitted_at"),
        )
        .join(Round, Round.id == Attempt.round_id)
        .where(Round.contest_id == contest.id, counted())
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


@dataclass(frozen=True)
class BulletinRow:
    code: str
    name: str
    headcount: int
    participants: int
    attempts: int

    @property
    def rate(self) -> float:
        return self.participants / self.headcount if self.headcount else 0.0


BULLETIN_YEARS = (2000, 2100)  # a day outside is a mistyped address (and year 1 cannot go a day back)


def bulletin_moment(day: str | None, hour: int | None) -> datetime:
    """The moment of a bulletin: that day at that hour in Vietnam (default: today, 17:00, or now)."""
    now = clock.now()
    local_day = clock.to_vietnam(now).date()
    if day:
        local_day = datetime.strptime(day, "%Y-%m-%d").date()
        if not BULLETIN_YEARS[0] <= local_day.year <= BULLETIN_YEARS[1]:
            raise ValueError(f"no bulletin in {local_day.year}")
    if hour is not None and not 0 <= hour <= 23:
        raise ValueError(f"no hour {hour}")
    moment = datetime.combine(local_day, time(hour if hour is not None else 17), tzinfo=clock.VIETNAM)
    return min(moment, now) if not day else moment


def bulletin(session: Session, contest: Contest, at: datetime) -> list[BulletinRow]:
    """Participation by unit until `at`: distinct participants with a finished attempt in any round."""
    parent = contest.scope_unit or session.scalar(select(Unit).where(Unit.parent_id.is_(None)).limit(1))
    if parent is None:
        return []
    units = session.scalars(select(Unit).where(Unit.parent_id == parent.id).order_by(Unit.code)).all()
    rows = session.execute(
        select(Unit.path, func.count(distinct(Attempt.user_id)), func.count(Attempt.id))
        .select_from(Attempt)
        .join(Round, Round.id == Attempt.round_id)
        .join(User, User.id == Attempt.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(Round.contest_id == contest.id, Attempt.status.in_(FINISHED), Attempt.submitted_at <= at)
        .group_by(Unit.path)
    ).all()
    # users belong to one unit, so summing per-unit distinct counts over a subtree stays distinct
    counts: dict[int, list[int]] = {unit.id: [0, 0] for unit in units}
    for path, people, attempts in rows:
        for part in path.strip("/").split("/"):
            if part and int(part) in counts:
                counts[int(part)][0] += people
                counts[int(part)][1] += attempts
    result = [BulletinRow(u.code, u.name, u.headcount, *counts[u.id]) for u in units]
    return sorted(result, key=lambda row: (-row.rate, -row.participants, row.code))
