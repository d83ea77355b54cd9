"""A round's reviews computed from every answer: the integrity flags and the question analysis. Both read every
answered question of the round (20,000 attempts: 15 s and 12 s), so a large round's are computed by the worker
(`flask work`) and kept with the time they were computed; the pages show the kept one, say when it is being
computed again, and offer "Tính lại". A small round's (up to INLINE_ATTEMPTS finished attempts) are computed in
the request, as before. Closing a round asks for both again."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest.models import Attempt, Round, RoundReport
from contest.models.attempts import FINISHED
from contest.services.banks import analysis
from contest.services.quiz import integrity

KINDS = ("integrity", "analysis")
INLINE_ATTEMPTS = 1000  # about a second of work at most, in the request
MAX_FAILURES = 3


@dataclass(frozen=True)
class Report:
    kind: str
    payload: list[dict[str, Any]] | None  # None before it was first computed
    computed_at: datetime | None
    pending: bool  # asked for, the worker has not computed it yet
    error: str | None  # the last failure
    kept: bool  # a large round's, computed by the worker (a small round's is computed on each view)

    def flags(self) -> list[integrity.Flag]:
        return [integrity.Flag(**flag) for flag in self.payload or []]

    def stats(self) -> list[analysis.QuestionStat]:
        return [
            analysis.QuestionStat(
                **{key: value for key, value in stat.items() if key != "options"},
                options=[analysis.OptionStat(**option) for option in stat["options"]],
            )
            for stat in self.payload or []
        ]


class ReportFailed(Exception):
    def __init__(self, round_id: int, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.round_id, self.kind, self.reason = round_id, kind, reason


def _computed(session: Session, round_: Round, kind: str) -> list[dict[str, Any]]:
    if kind == "integrity":
        return [asdict(flag) for flag in integrity.flags(session, round_)]
    return [asdict(stat) for stat in analysis.analyse(session, round_)]


def _finished(session: Session, round_: Round) -> int:
    count = select(func.count(Attempt.id)).where(Attempt.round_id == round_.id, Attempt.status.in_(FINISHED))
    return session.scalar(count) or 0


def _row(session: Session, round_: Round, kind: str) -> RoundReport:
    row = session.get(RoundReport, (round_.id, kind))
    if row is None:
        row = RoundReport(round_id=round_.id, kind=kind, failures=0)
        session.add(row)
    return row


def _is_pending(row: RoundReport) -> bool:
    return row.requested_at is not None  # cleared by the computation that answers it


def current(session: Session, round_: Round, kind: str, now: datetime) -> Report:
    """A small round's report, computed now (as fresh as the page); a large round's as kept, asked for when it
    never was (the caller commits)."""
    row = _row(session, round_, kind)
    if _finished(session, round_) <= INLINE_ATTEMPTS:
        row.payload, row.computed_at, row.failures, row.error = _computed(session, round_, kind), now, 0, None
        row.requested_at = None
        return Report(kind, row.payload, row.computed_at, pending=False, error=None, kept=False)
    if row.computed_at is None and row.requested_at is None:
        row.requested_at = now
    return Report(kind, row.payload, row.computed_at, _is_pending(row), row.error, kept=True)


def request(session: Session, round_: Round, now: datetime, kinds: tuple[str, ...] = KINDS) -> None:
    """Ask for the reports again (the organizer's "Tính lại", a close); the worker, or the next view of a small
    round, computes them."""
    for kind in kinds:
        row = _row(session, round_, kind)
        row.requested_at, row.failures, row.error = now, 0, None


def compute_next(session: Session, *, now: datetime) -> tuple[int, str] | None:
    """Compute the report asked for longest ago (the caller commits): its round and kind, or None when none waits.
    Raises ReportFailed when the computation fails (the caller rolls back and records it)."""
    row = session.scalar(
        select(RoundReport)
        .where(RoundReport.requested_at.is_not(None), RoundReport.failures < MAX_FAILURES)
        .order_by(RoundReport.failures, RoundReport.requested_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if row is None:
        return None
    round_ = session.get(Round, row.round_id)
    if round_ is None:
        return None
    try:
        payload = _computed(session, round_, row.kind)
    except Exception as error:
        reason = re.sub(r" <[^>]* at 0x[0-9a-f]+>", "", f"{type(error).__name__}: {error}")
        raise ReportFailed(row.round_id, row.kind, reason[:500]) from error
    row.payload, row.computed_at, row.error = payload, now, None
    if row.requested_at is not None and row.requested_at <= now:  # asked again after it began: computed again
        row.requested_at = None
    return row.round_id, row.kind


def record_failure(session: Session, round_id: int, kind: str, reason: str) -> None:
    row = session.get(RoundReport, (round_id, kind))
    if row is not None:
        row.failures += 1
        row.error = reason[:500]
