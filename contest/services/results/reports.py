"""A round's reviews computed from every answer: the integrity flags and the question analysis. Both read every
answered question of the round (20,000 attempts: 15 s and 12 s), so a large round's are computed by the worker
(`flask work`) and kept with the time they were computed; the pages show the kept one, say when it is being
computed again, and offer "Tính lại". A small round's (up to INLINE_ATTEMPTS finished attempts) are computed in
the request, as before. Closing a round asks for both again."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contest.models import Attempt, Round, RoundReport, User
from contest.models.attempts import FINISHED
from contest.services.banks import analysis
from contest.services.quiz import integrity
from contest.services.shared.errors import failure_reason
from contest.services.shared.paging import batches

KINDS = ("integrity", "analysis")
LEASE = timedelta(minutes=15)  # a worker that took a report and died: another takes it after this
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


def _finished(session: Session, round_: Round) -> tuple[int, datetime | None]:
    """How many attempts of the round are finished, and when the last was submitted."""
    count = select(func.count(Attempt.id), func.max(Attempt.submitted_at)).where(
        Attempt.round_id == round_.id, Attempt.status.in_(FINISHED)
    )
    finished, last = session.execute(count).one()
    return finished or 0, last


def _row(session: Session, round_: Round, kind: str) -> RoundReport:
    row = session.get(RoundReport, (round_.id, kind))
    if row is None:
        try:
            with session.begin_nested():  # two first views at once: the second finds the first's row
                row = RoundReport(round_id=round_.id, kind=kind, failures=0)
                session.add(row)
        except IntegrityError:
            row = session.get(RoundReport, (round_.id, kind))
            if row is None:
                raise
    return row


def _is_pending(row: RoundReport) -> bool:
    return row.requested_at is not None  # cleared by the computation that answers it


def current(session: Session, round_: Round, kind: str, now: datetime) -> Report:
    """A small round's report, computed now (as fresh as the page); a large round's as kept, asked for when it
    never was (the caller commits)."""
    finished, last = _finished(session, round_)
    if finished <= INLINE_ATTEMPTS:  # nothing kept: nothing written on a page view
        return Report(kind, _computed(session, round_, kind), now, pending=False, error=None, kept=False)
    row = _row(session, round_, kind)
    newer = row.computed_at is None or (last is not None and last > row.computed_at)
    if newer and row.requested_at is None:  # never computed, or attempts finished since: computed again
        row.requested_at = now
    return Report(kind, row.payload, row.computed_at, _is_pending(row), row.error, kept=True)


def with_current_names(session: Session, flags: list[integrity.Flag]) -> list[integrity.Flag]:
    """Kept flags with each person's name as it is now; a deleted account's shows that name and none of the
    evidence it was flagged on (addresses, devices), as the deletion took them away."""
    ids = list({flag.attempt_id for flag in flags})
    people: dict[int, tuple[str, datetime | None]] = {}
    for some in batches(ids, 1000):
        rows = session.execute(
            select(Attempt.id, User.name, User.anonymised_at)
            .join(User, User.id == Attempt.user_id)
            .where(Attempt.id.in_(some))
        )
        people.update({attempt_id: (name, gone) for attempt_id, name, gone in rows})
    shown = []
    for flag in flags:
        name, gone = people.get(flag.attempt_id, (flag.user_name, None))
        shown.append(integrity.Flag(flag.kind, flag.attempt_id, name, "—" if gone is not None else flag.detail))
    return shown


def request(session: Session, round_: Round, now: datetime, kinds: tuple[str, ...] = KINDS) -> None:
    """Ask for the reports again (the organizer's "Tính lại", a close); the worker, or the next view of a small
    round, computes them."""
    for kind in kinds:
        row = _row(session, round_, kind)
        row.requested_at, row.failures, row.error = now, 0, None


@dataclass(frozen=True)
class Claim:
    round_id: int
    kind: str
    requested_at: datetime
    started_at: datetime


def claim_next(session: Session, *, now: datetime) -> Claim | None:
    """Take the report asked for longest ago (the caller commits at once: the row is not held while it is
    computed); None when none waits."""
    while True:
        row = session.scalar(
            select(RoundReport)
            .where(
                RoundReport.requested_at.is_not(None),
                RoundReport.failures < MAX_FAILURES,
                or_(RoundReport.started_at.is_(None), RoundReport.started_at < now - LEASE),
            )
            .order_by(RoundReport.failures, RoundReport.requested_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None or row.requested_at is None:
            return None
        if session.get(Round, row.round_id) is None:  # its round is gone (SQLite keeps no foreign keys): dropped
            session.delete(row)
            continue
        row.started_at = now
        return Claim(row.round_id, row.kind, row.requested_at, now)


def compute_claimed(session: Session, claim: Claim) -> None:
    """Compute a claimed report and keep it (the caller commits); it stays asked for when asked again after the
    claim. Raises ReportFailed when the computation fails (the caller rolls back and records it)."""
    round_ = session.get(Round, claim.round_id)
    if round_ is None:
        return
    try:
        payload = _computed(session, round_, claim.kind)
    except Exception as error:
        raise ReportFailed(claim.round_id, claim.kind, failure_reason(error)) from error
    row = session.get(RoundReport, (claim.round_id, claim.kind), with_for_update=True)
    if row is None:
        return
    row.payload, row.computed_at, row.error, row.started_at = payload, claim.started_at, None, None
    if row.requested_at is not None and row.requested_at <= claim.requested_at:
        row.requested_at = None


def record_failure(session: Session, round_id: int, kind: str, reason: str) -> None:
    row = session.get(RoundReport, (round_id, kind))
    if row is not None:
        row.failures += 1
        row.error, row.started_at = reason[:500], None
