"""The organizer's morning view (the admin home): what is open, how many took part today and are at it now,
integrity flags waiting for a look, uploads waiting for a decision, rounds to close or publish, the next start."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import distinct, func, select, true
from sqlalchemy.orm import Session, selectinload

from contest import clock
from contest.models import Attempt, BankUpload, Contest, Round
from contest.services.banks.uploads import UPLOAD_LIFETIME
from contest.services.bodies.access import within
from contest.services.quiz.integrity import flags
from contest.services.shared.cache import cached

FLAG_COUNT_TTL_S = 60.0  # flags read every attempt of a round: counted at most once a minute


@dataclass(frozen=True)
class OpenRound:
    round: Round
    participants: int
    in_progress: int
    flagged: int  # attempts with a flag, not disqualified


@dataclass(frozen=True)
class MorningView:
    open_rounds: list[OpenRound]
    participants_today: int  # distinct people who started an attempt since midnight, Vietnam time
    attempts_today: int
    in_progress: int
    uploads_waiting: int
    to_close: list[Round]  # past their closing time, not ranked yet
    to_publish: list[Round]  # ranked, results not public
    next_round: Round | None


def _flagged(session: Session, round_: Round) -> int:
    def count() -> int:
        found = {flag.attempt_id for flag in flags(session, round_)}
        if not found:
            return 0
        disqualified = session.scalars(
            select(Attempt.id).where(Attempt.id.in_(found), Attempt.disqualified_at.is_not(None))
        ).all()
        return len(found - set(disqualified))

    return int(cached(f"morning:flags:{round_.id}", FLAG_COUNT_TTL_S, count))


def morning_view(
    session: Session, now: datetime, contest_bodies: Collection[int] | None, bank_bodies: Collection[int] | None
) -> MorningView:
    """The rounds and attempts of contests of `contest_bodies`, the uploads of `bank_bodies` (all for None)."""
    rounds = session.scalars(
        select(Round)
        .join(Round.contest)
        .where(within(Contest.body_id, contest_bodies))
        .options(selectinload(Round.contest))
        .order_by(Round.opens_at)
    ).all()
    local = clock.to_vietnam(now)
    midnight = now - timedelta(hours=local.hour, minutes=local.minute, seconds=local.second)
    theirs = Attempt.round_id.in_([round_.id for round_ in rounds]) if contest_bodies is not None else true()
    participants_today, attempts_today = session.execute(
        select(func.count(distinct(Attempt.user_id)), func.count(Attempt.id)).where(
            Attempt.started_at >= midnight, theirs
        )
    ).one()
    in_progress = session.scalar(select(func.count(Attempt.id)).where(Attempt.status == "in_progress", theirs)) or 0
    open_rounds = []
    for round_ in (r for r in rounds if r.state(now) == "open"):
        participants, running = session.execute(
            select(
                func.count(distinct(Attempt.user_id)),
                func.count(Attempt.id).filter(Attempt.status == "in_progress"),
            ).where(Attempt.round_id == round_.id)
        ).one()
        open_rounds.append(OpenRound(round_, participants, running, _flagged(session, round_)))
    uploads = (
        session.scalar(
            select(func.count(BankUpload.id)).where(
                BankUpload.created_at >= now - UPLOAD_LIFETIME, within(BankUpload.body_id, bank_bodies)
            )
        )
        or 0
    )
    return MorningView(
        open_rounds=open_rounds,
        participants_today=participants_today,
        attempts_today=attempts_today,
        in_progress=in_progress,
        uploads_waiting=uploads,
        to_close=[r for r in rounds if r.state(now) == "closed" and r.finalized_at is None],
        to_publish=[r for r in rounds if r.finalized_at is not None and r.results_published_at is None],
        next_round=next((r for r in rounds if r.opens_at > now and r.contest.status != "archived"), None),
    )
