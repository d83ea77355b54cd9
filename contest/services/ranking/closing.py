"""Closing a round: finish what is still open, compute and store the final ranking."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Attempt, Round
from contest.services.console.audit import Actor, record
from contest.services.quiz.attempts import finish_attempt
from contest.services.ranking.board_settings import forget_boards
from contest.services.ranking.rules import Ranked, finalize_ranking
from contest.services.results.certificates import issue_for_round


def close_round(session: Session, round_: Round, *, actor: Actor, now: datetime) -> list[Ranked]:
    """End the round now (or at its closing time, if that has passed) and rank it.

    Closing again recomputes the same ranking from the same data."""
    if round_.closed_at is None:
        round_.closed_at = min(now, round_.closes_at)
    ended = round_.closed_at
    still_open = session.scalars(
        select(Attempt).where(Attempt.round_id == round_.id, Attempt.status == "in_progress")
    ).all()
    for attempt in still_open:
        finish_attempt(session, attempt, now=min(now, attempt.deadline, ended), finished_by="round_closed")
    session.flush()
    ranked = finalize_ranking(session, round_, now)
    if round_.results_published_at is not None:  # closed again after its results went out: certificates follow
        issue_for_round(session, round_, now)
    forget_boards(round_)
    after = {"ranked": len(ranked), "actual_value": round_.actual_value}
    record(session, actor, "round.close", f"round:{round_.id}", after=after, now=now)
    return ranked
