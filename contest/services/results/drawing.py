"""The certificates' worker: it draws each certificate once and stores its PDF (`flask work`).

The queue is a table of the database (`certificate_queue`), not a job queue beside it: the embedded default has
no Redis, and whether a certificate is drawn is the database's fact anyway. A worker takes one certificate at a
time, locked with `FOR UPDATE SKIP LOCKED` on PostgreSQL (several workers never take the same one), draws it, and
stores the file and removes the queue row in one transaction: a worker killed mid-drawing stored nothing, and the
next one draws that certificate again. A drawing that fails is tried MAX_FAILURES times, then stays in the queue
with its error, which the round's page shows. On SQLite (no row locks) run one worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from contest.models import Certificate, CertificateDrawing, CertificateFile, Round
from contest.services.results import certificates
from contest.services.shared.errors import failure_reason

MAX_FAILURES = 3


class DrawingFailed(Exception):
    def __init__(self, certificate_id: int, reason: str) -> None:
        super().__init__(reason)
        self.certificate_id = certificate_id
        self.reason = reason


def draw_next(session: Session, *, now: datetime) -> int | None:
    """Draw the next queued certificate and store it (the caller commits); its id, or None when none waits.
    Raises DrawingFailed when the drawing fails (the caller rolls back and records it)."""
    queued = session.scalar(
        select(CertificateDrawing)
        .where(CertificateDrawing.failures < MAX_FAILURES)
        .order_by(CertificateDrawing.failures, CertificateDrawing.certificate_id)  # a failed one after the rest
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if queued is None:
        return None
    certificate = session.get(Certificate, queued.certificate_id)
    if certificate is None or certificate.revoked_at is not None:  # withdrawn meanwhile: nothing to draw
        session.delete(queued)
        return queued.certificate_id
    background, seal = certificates.contest_pictures(session, certificate.round.contest)
    try:
        pdf = certificates.draw(
            certificate.statement,
            certificate.code,
            certificates.verify_url(certificate.code),
            background=background,
            seal=seal,
        )
    except Exception as error:  # a picture fpdf2 cannot read, a font missing: recorded, tried again, reported
        raise DrawingFailed(certificate.id, failure_reason(error)) from error
    session.execute(delete(CertificateFile).where(CertificateFile.certificate_id == certificate.id))
    session.add(
        CertificateFile(
            certificate_id=certificate.id,
            code=certificate.code,
            pdf=pdf,
            template=certificates.TEMPLATE_VERSION,
            drawn_at=now,
        )
    )
    session.delete(queued)
    return certificate.id


def record_failure(session: Session, certificate_id: int, reason: str) -> int:
    """Count a failed drawing (in a transaction of its own, after the failed one rolled back); the failures so far."""
    queued = session.get(CertificateDrawing, certificate_id)
    if queued is None:
        return 0
    queued.failures += 1
    queued.error = reason[:500]
    return queued.failures


def retry_failed(session: Session, round_: Round) -> int:
    """The organizer's "try again": the round's failed drawings go back in the queue; how many."""
    failed = session.scalars(
        select(CertificateDrawing).where(
            CertificateDrawing.round_id == round_.id, CertificateDrawing.failures >= MAX_FAILURES
        )
    ).all()
    for queued in failed:
        queued.failures, queued.error = 0, None
    return len(failed)


@dataclass(frozen=True)
class Progress:
    total: int  # certificates in force
    drawn: int  # stored
    waiting: int  # in the queue, still to be tried
    failed: int  # tried MAX_FAILURES times
    error: str | None  # the last failure's reason

    @property
    def done(self) -> bool:
        return self.drawn >= self.total

    def as_json(self) -> dict[str, object]:
        return {
            "total": self.total,
            "drawn": self.drawn,
            "waiting": self.waiting,
            "failed": self.failed,
            "error": self.error,
            "done": self.done,
        }


def progress(session: Session, round_: Round) -> Progress:
    """How far the worker has come with the round's certificates."""
    waiting, failed = session.execute(
        select(
            func.count().filter(CertificateDrawing.failures < MAX_FAILURES),
            func.count().filter(CertificateDrawing.failures >= MAX_FAILURES),
        ).where(CertificateDrawing.round_id == round_.id)
    ).one()
    error = None
    if failed:
        error = session.scalar(
            select(CertificateDrawing.error)
            .where(CertificateDrawing.round_id == round_.id, CertificateDrawing.failures >= MAX_FAILURES)
            .limit(1)
        )
    return Progress(
        total=certificates.count_in_force(session, round_),
        drawn=certificates.count_drawn(session, round_),
        waiting=waiting,
        failed=failed,
        error=error,
    )
