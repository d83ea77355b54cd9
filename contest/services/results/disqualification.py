"""An organizer's decision to take an attempt out of every ranking, with the reason recorded.

Flags never do this by themselves: a person reads them and decides. The live board in Redis only ever
improves an entry, so taking one out means dropping the round's board and building it again from the
database; a round already ranked is ranked again (prizes included)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.extensions import redis_client
from contest.models import Attempt, User
from contest.models.attempts import FINISHED
from contest.services.ranking import live_board
from contest.services.ranking.board_settings import forget_boards
from contest.services.ranking.leaderboard import rebuild, unqueue_board_update
from contest.services.ranking.rules import finalize_ranking
from contest.services.results.certificates import issue_for_round
from contest.services.shared import audit
from contest.services.shared.errors import DomainError, InvalidInput, NotFound

MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 500


def round_attempt(session: Session, round_id: int, attempt_id: int) -> Attempt:
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.round_id != round_id:
        raise NotFound(_("This round has no attempt %(id)d.", id=attempt_id))
    return attempt


def check_disqualification(attempt: Attempt, reason: str) -> str:
    """The reason as it will be recorded; InvalidInput or DomainError when the attempt cannot be disqualified so
    (checked before the organizer is asked to confirm, and again when it is done)."""
    reason = " ".join(reason.split())
    if not MIN_REASON_LENGTH <= len(reason) <= MAX_REASON_LENGTH:
        raise InvalidInput(
            _(
                "Write the reason for the disqualification (%(min)d to %(max)d characters): it is recorded.",
                min=MIN_REASON_LENGTH,
                max=MAX_REASON_LENGTH,
            ),
            {"reason": reason},
        )
    if attempt.status not in FINISHED:
        raise DomainError(_("Only a finished attempt can be disqualified."))
    if attempt.disqualified_at is not None:
        raise DomainError(_("This attempt is already disqualified."))
    return reason


def disqualify(session: Session, attempt: Attempt, *, by: User, reason: str, now: datetime) -> None:
    reason = check_disqualification(attempt, reason)
    attempt.disqualified_at, attempt.disqualified_by_id, attempt.disqualification_reason = now, by.id, reason
    unqueue_board_update(session, attempt.id)
    audit.record(
        session,
        audit.Actor.account(by),
        "attempt.disqualify",
        f"attempt:{attempt.id}",
        before={"score": attempt.score, "user": attempt.user_id},
        after={"reason": reason},
        now=now,
    )
    _rank_again(session, attempt, now)


def reinstate(session: Session, attempt: Attempt, *, by: User, now: datetime) -> None:
    if attempt.disqualified_at is None:
        raise DomainError(_("This attempt is not disqualified."))
    before = {"reason": attempt.disqualification_reason}
    attempt.disqualified_at = attempt.disqualified_by_id = attempt.disqualification_reason = None
    audit.record(session, audit.Actor.account(by), "attempt.reinstate", f"attempt:{attempt.id}", before=before, now=now)
    _rank_again(session, attempt, now)


def _rank_again(session: Session, attempt: Attempt, now: datetime) -> None:
    session.flush()
    if attempt.round.finalized_at is not None:
        finalize_ranking(session, attempt.round, now)
        if attempt.round.results_published_at is not None:  # published: the certificates follow at once
            issue_for_round(session, attempt.round, now)


def refresh_boards(session: Session, attempt: Attempt) -> None:
    """After the commit: rebuild the round's Redis board without the attempt (or with it again)."""
    client = redis_client()
    if client is not None:
        client.delete(*live_board.keys(attempt.round_id))  # readers fall back to the database meanwhile
        rebuild(session, attempt.round, client)
    forget_boards(attempt.round)


def disqualified_attempts(session: Session, round_id: int) -> list[Attempt]:
    return list(
        session.scalars(
            select(Attempt)
            .where(Attempt.round_id == round_id, Attempt.disqualified_at.is_not(None))
            .order_by(Attempt.disqualified_at)
        )
    )
