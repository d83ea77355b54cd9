"""Contests and their rounds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from contest.models.base import Base, UTCDateTime, one_of
from contest.models.questions import QuestionBank
from contest.models.units import Unit

if TYPE_CHECKING:
    from contest.models.bodies import Body

CONTEST_STATUSES = ("draft", "published", "archived")  # ContestStatus's values, for the check constraint
NAME_DISPLAYS = ("full", "masked")
PREDICTION_TARGETS = ("full_score", "participants", "none")
# after_attempt: the participant's own answers right after an attempt, the right ones once the round closes (while
# it is open, a key shown after each attempt would let one collect the whole bank); attempt_with_key: the
# right answers right away, when the organizer accepts that.
REVIEW_MODES = ("never", "after_attempt", "attempt_with_key", "after_close")
UNIT_RANKING_MODES = ("rate", "points")
# Who may take part (phones cannot be verified by SMS here): anyone registered in the scope; only phones on their
# unit's staff list (uploaded by the unit admin); or anyone whose request the unit admin approved.
ELIGIBILITY = ("anyone", "staff_list", "approval")
# The links a ranking chain may use, in CONTRACT §5's default order.
RANKING_LINKS = ("score", "prediction", "duration", "submitted_at", "started_at", "top_score_attempts")
DEFAULT_RANKING_CHAIN = ["score", "prediction", "duration", "submitted_at"]


class ContestStatus(StrEnum):
    DRAFT = "draft"  # hidden from the public
    PUBLISHED = "published"  # visible; its rounds can be taken
    ARCHIVED = "archived"  # visible, over


class RoundState(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class Contest(Base):
    __tablename__ = "contests"
    __table_args__ = (
        CheckConstraint(one_of("status", CONTEST_STATUSES), name="status_known"),
        CheckConstraint(one_of("name_display", NAME_DISPLAYS), name="name_display_known"),
        CheckConstraint(one_of("unit_ranking", UNIT_RANKING_MODES), name="unit_ranking_known"),
        CheckConstraint(one_of("eligibility", ELIGIBILITY), name="eligibility_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    # the organizing body that owns it: only its members see its drafts, rounds' monitoring and results
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="RESTRICT"), index=True)
    # its rounds draw only questions a second person checked (services.quiz.round_pool)
    require_review: Mapped[bool] = mapped_column(default=False, server_default="0")
    title: Mapped[str] = mapped_column(String(255))
    rules: Mapped[str] = mapped_column(Text, default="")
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    name_display: Mapped[str] = mapped_column(String(10), default="masked")
    ranking_chain: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(DEFAULT_RANKING_CHAIN))
    unit_ranking: Mapped[str] = mapped_column(String(10), default="rate")
    eligibility: Mapped[str] = mapped_column(String(20), default="anyone", server_default="anyone")
    # Separate tables by participant category, each ranked and given prizes apart (services.ranking.tables):
    # [{"key": "A", "name": "Bảng A: Cán bộ, công chức, viên chức", "categories": ["civil_servant"]}, ...]; None: one.
    tables: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # The bank practice (thi thử) draws from; it shows its key, so no round may draw from it (services.practice).
    practice_bank_id: Mapped[int | None] = mapped_column(ForeignKey("question_banks.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What the results' documents and the certificates say of who issues them (the organizer's settings page).
    # whom participants ask for help (a phone, an email), shown on the contest's page and the login page
    help_contact: Mapped[str] = mapped_column(String(255), default="", server_default="")
    issuer: Mapped[str] = mapped_column(String(255), default="", server_default="")  # the organizing body
    parent_body: Mapped[str] = mapped_column(String(255), default="", server_default="")  # the body above it
    place: Mapped[str] = mapped_column(String(120), default="", server_default="")  # "Hòa Bình Xanh", for the date line
    signer_title: Mapped[str] = mapped_column(String(255), default="", server_default="")
    signer_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    certificate_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # optional wording
    # Optional pictures, PNG re-encoded on upload; loaded only when a certificate is drawn.
    certificate_background: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    certificate_seal: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    scope_unit: Mapped[Unit | None] = relationship()
    body: Mapped[Body] = relationship()
    practice_bank: Mapped[QuestionBank | None] = relationship()
    rounds: Mapped[list[Round]] = relationship(
        back_populates="contest", order_by="Round.opens_at", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Contest {self.slug}>"


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("contest_id", "name"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opens"),
        CheckConstraint("question_count > 0", name="question_count_positive"),
        CheckConstraint("time_limit_s > 0", name="time_limit_positive"),
        CheckConstraint("max_attempts IS NULL OR max_attempts > 0", name="max_attempts_positive"),
        CheckConstraint("max_attempts_per_day IS NULL OR max_attempts_per_day > 0", name="daily_attempts_positive"),
        CheckConstraint(one_of("prediction", PREDICTION_TARGETS), name="prediction_known"),
        CheckConstraint(one_of("review", REVIEW_MODES), name="review_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    question_count: Mapped[int]
    time_limit_s: Mapped[int]
    max_attempts: Mapped[int | None]  # None: unlimited, the best counts
    max_attempts_per_day: Mapped[int | None]
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("question_banks.id", ondelete="RESTRICT"))
    # [{"topic": str | None, "difficulty": str | None, "count": int}, ...]; None: any question.
    draw_spec: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    prediction: Mapped[str] = mapped_column(String(20), default="full_score")
    review: Mapped[str] = mapped_column(String(20), default="after_close")
    require_all_answered: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by `round close`: the prediction's actual value and when the final ranking was computed.
    actual_value: Mapped[int | None]
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The public board shows the standings of this moment while frozen, or nothing while hidden.
    board_frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    board_hidden: Mapped[bool] = mapped_column(default=False, server_default="0")
    # {"first": 1, "second": 2, "third": 3, "consolation": 10, "max_share": 0.1, "one_per_person": true}
    prize_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # When the organizer made the closed round's results public (`results publish`); None: a draft only staff see.
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The questions a round draws from are the bank's unrevealed ones (services.quiz.round_pool), fixed at its first
    # draw (round_pool_questions) so that a round closing meanwhile cannot empty an open one; the organizer may
    # choose, on purpose, to draw revealed questions too.
    pool_fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reuse_revealed: Mapped[bool] = mapped_column(default=False, server_default="0")

    contest: Mapped[Contest] = relationship(back_populates="rounds")
    bank: Mapped[QuestionBank | None] = relationship()

    def is_open(self, moment: datetime) -> bool:
        return self.closed_at is None and self.opens_at <= moment < self.closes_at

    @property
    def key_collectable(self) -> bool:
        """The right answers shown after each attempt of a round that can be taken again: a participant can
        gather the key of the bank (the organizer chose it, and is warned)."""
        return self.review == "attempt_with_key" and (self.max_attempts is None or self.max_attempts > 1)

    def state(self, now: datetime) -> RoundState:
        if self.closed_at is not None or now >= self.closes_at:
            return RoundState.CLOSED
        return RoundState.OPEN if now >= self.opens_at else RoundState.UPCOMING

    def key_shown(self, now: datetime) -> bool:
        """May a participant see the right answers of their attempt now, as the review setting says?"""
        if self.review == "attempt_with_key":
            return True
        return self.review in ("after_close", "after_attempt") and self.state(now) == RoundState.CLOSED

    def own_answers_shown(self, now: datetime) -> bool:
        """May a participant see the questions of their attempt and what they chose (without the key) now?"""
        return self.review != "never" and (self.review != "after_close" or self.key_shown(now))

    def next_change(self, now: datetime) -> datetime | None:
        """When the round next opens or closes, for the countdown; None once it is over."""
        return {RoundState.UPCOMING: self.opens_at, RoundState.OPEN: self.closes_at}.get(self.state(now))

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.name}>"


class RoundPoolQuestion(Base):
    """A question a round may draw, fixed at the round's first draw."""

    __tablename__ = "round_pool_questions"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)


class RoundReport(Base):
    """A review of a round computed from every answer (the integrity flags, the question analysis): by the worker
    for a large round, in the request for a small one; kept with the time it was computed, asked for again with
    "Tính lại" and at each close."""

    __tablename__ = "round_reports"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # "integrity" or "analysis"
    payload: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When a worker took it: the row is not locked while it computes (a close or "Tính lại" never waits for it);
    # a worker that died leaves this, and another takes the report once the lease is over.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(String(500))
