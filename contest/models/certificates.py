"""Certificates issued when a round's results are published: what each one states, under a verification code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
