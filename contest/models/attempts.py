"""Attempts at a round and the frozen questions each attempt drew."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.models.base import Base, UTCDateTime, one_of
from contest.models.contests import Round
from contest.models.users import User


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # by the participant, before the deadline (+ grace)
    EXPIRED = "expired"  # finished at the deadline with the answers saved before it


ATTEMPT_STATUSES = tuple(AttemptStatus)
FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)  # statuses of an attempt that is over and scored
# Answers sent in the last seconds still count: the network and the page's clock take a moment.
ANSWER_GRACE = timedelta(seconds=5)


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "round_id", "number"),
        # At most one unfinished attempt per participant and round, whatever the race.
        Index(
            "uq_attempts_one_open",
            "user_id",
            "round_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
        Index("ix_attempts_round_status", "round_id", "status"),
        CheckConstraint(one_of("status", ATTEMPT_STATUSES), name="status_known"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("deadline > started_at", name="deadline_after_start"),
        CheckConstraint("total > 0", name="total_positive"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= total)", name="score_in_range"),
        CheckConstraint("(status = 'in_progress') = (submitted_at IS NULL)", name="finished_iff_submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    number: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    total: Mapped[int]
    score: Mapped[int | None]
    correct_count: Mapped[int | None]
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    prediction: Mapped[int | None]
    # The seed of the draw and shuffles: the attempt can be re-derived and audited.
    seed: Mapped[int] = mapped_column(BigInteger)
    # Short code from a hash of the finished attempt, given to the participant (see services.receipts).
    receipt: Mapped[str | None] = mapped_column(String(20), unique=True)
    finished_by: Mapped[str | None] = mapped_column(String(20))  # "participant", "deadline"
    # Where the attempt was started from, for the integrity flags (many accounts from one device).
    client_address: Mapped[str | None] = mapped_column(String(45))
    device: Mapped[str | None] = mapped_column(String(16))  # a hash of the browser's User-Agent
    # Time the quiz page spent hidden (another tab or app), as the page reported it.
    away_ms: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    long_absences: Mapped[int] = mapped_column(default=0, server_default="0")
    # An organizer's decision, with its reason: the attempt no longer counts in any ranking.
    disqualified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disqualified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    disqualification_reason: Mapped[str | None] = mapped_column(String(500))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    disqualified_by: Mapped[User | None] = relationship(foreign_keys=[disqualified_by_id])
    round: Mapped[Round] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    def accepts_answers(self, now: datetime) -> bool:
        """Before the deadline, or within the grace after it: an answer or a submission still counts."""
        return now <= self.deadline + ANSWER_GRACE

    def __repr__(self) -> str:
        return f"<Attempt {self.id} {self.status}>"


class AttemptItem(Base):
    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"), index=True)
    # The question as the participant saw it, frozen at the draw: later edits to the bank never
    # change it. {"text", "multiple", "topic", "difficulty", "explanation",
    #  "options": [{"id", "text", "correct"}, ...] in the shuffled order shown}
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    # None (no answer) is SQL NULL, not JSON null: "chosen IS NULL" finds the unanswered questions.
    chosen: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    correct: Mapped[bool | None]

    attempt: Mapped[Attempt] = relationship(back_populates="items")
