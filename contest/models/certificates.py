"""Certificates issued when a round's results are published: what each one states, under a verification code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from contest.models.base import Base, UTCDateTime, one_of
from contest.models.contests import Round
from contest.models.users import User

CERTIFICATE_KINDS = ("participation", "prize")


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", "kind"),
        CheckConstraint(one_of("kind", CERTIFICATE_KINDS), name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A keyed hash of the statement (services.results.certificates): a row changed without the key no longer matches.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # What the certificate says, frozen when issued: {"contest", "round", "name", "unit", "prize", "score", "total",
    # "issuer", "parent_body", "place", "date", "signer_title", "signer_name", "text"}.
    statement: Mapped[dict[str, Any]] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set when a later close or publication no longer gives it (a disqualification, a prize handed on).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Certificate {self.code} {self.kind}>"


class CertificateFile(Base):
    """A certificate's PDF, drawn once (by the worker) and served from here. Dropped when the certificate is
    re-issued under a new code, withdrawn, or its contest's design changes: the worker then draws it again.

    Kept in the database rather than in a folder beside it: every app server reads it without a shared disk, and
    the database's backups cover it (docs/operations.md)."""

    __tablename__ = "certificate_files"

    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), primary_key=True)
    # The code the PDF shows: a file whose code is not the certificate's (re-issued while it was being drawn) is
    # not the certificate's drawing, and counts as not drawn.
    code: Mapped[str] = mapped_column(String(20))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    template: Mapped[str] = mapped_column(String(10))  # the drawing's version (TEMPLATE_VERSION) when drawn
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CertificateDrawing(Base):
    """A certificate waiting to be drawn: the worker's queue (`flask work`). A row leaves the queue in
    the transaction that stores the file; a drawing that fails is tried again, MAX_FAILURES times in all, and then
    stays here with its error, shown on the round's page."""

    __tablename__ = "certificate_queue"
    __table_args__ = (Index("ix_certificate_queue_next", "failures", "certificate_id"),)

    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(String(500))
