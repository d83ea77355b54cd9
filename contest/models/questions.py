"""Question banks, questions and their options."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from contest.models.base import Base, UTCDateTime, one_of

if TYPE_CHECKING:
    from contest.models.bodies import Body

DIFFICULTIES = ("easy", "medium", "hard")
MAX_OPTIONS = 6
# A question's key as a second person found it (services.banks.review): an edit of its text, options or answer
# returns it to "unchecked".
REVIEW_STATES = ("unchecked", "checked", "disputed")


class QuestionBank(Base):
    __tablename__ = "question_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # the organizing body that owns it: only its members see the bank and its key
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Bumped by every change to the bank's questions: the draw pool cached by each process is
    # keyed by it, so no process draws from a stale pool.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    # Since when its right answers have been open to anyone (a contest's practice bank): never cleared, so a bank
    # whose key was public never becomes a round's bank, even after the contest stops practising on it.
    practice_since: Mapped[datetime | None] = mapped_column(UTCDateTime())

    questions: Mapped[list[Question]] = relationship(back_populates="bank", order_by="Question.id")
    body: Mapped[Body] = relationship()

    def __repr__(self) -> str:
        return f"<QuestionBank {self.name}>"


class Picture(Base):
    """A picture of a question or an option, as shown (WebP, re-encoded on import); stored once however many
    questions show it, and served by its digest with a long cache life."""

    __tablename__ = "pictures"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of data: the address it is served at
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (
        # A question whose text and options repeat one already in the bank is a duplicate.
        UniqueConstraint("bank_id", "fingerprint"),
        CheckConstraint(one_of("difficulty", DIFFICULTIES), name="difficulty_known"),
        CheckConstraint(one_of("review_state", REVIEW_STATES), name="review_state_known"),
        Index("ix_questions_draw", "bank_id", "active", "topic", "difficulty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("question_banks.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(200), default="")
    difficulty: Mapped[str] = mapped_column(String(10), default="medium")
    explanation: Mapped[str] = mapped_column(Text, default="")
    multiple: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    picture_id: Mapped[int | None] = mapped_column(ForeignKey("pictures.id", ondelete="SET NULL"))
    picture_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # who imported or last edited it: an account, or the server's user running `bank import`
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_by_cli: Mapped[str | None] = mapped_column(String(64))
    review_state: Mapped[str] = mapped_column(String(10), default="unchecked", server_default="unchecked")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_comment: Mapped[str] = mapped_column(Text, default="", server_default="")

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")
    picture: Mapped[Picture | None] = relationship()
    options: Mapped[list[Option]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Question {self.id}>"


class Option(Base):
    __tablename__ = "options"
    __table_args__ = (
        UniqueConstraint("question_id", "position"),
        CheckConstraint(f"position >= 0 AND position < {MAX_OPTIONS}", name="position_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    position: Mapped[int]  # 0 = A, as in the spreadsheet
    text: Mapped[str] = mapped_column(Text)
    is_correct: Mapped[bool] = mapped_column(default=False)
    picture_id: Mapped[int | None] = mapped_column(ForeignKey("pictures.id", ondelete="SET NULL"))
    picture_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")

    question: Mapped[Question] = relationship(back_populates="options")
    picture: Mapped[Picture | None] = relationship()

    @property
    def letter(self) -> str:
        return "ABCDEF"[self.position]


class BankUpload(Base):
    """A question file an organizer uploaded and has not yet confirmed: the preview reads it from
    here, so any app process can show the report and import it."""

    __tablename__ = "bank_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    bank_name: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(10), default="auto")
    skip_unsupported: Mapped[bool] = mapped_column(default=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # the file as it was read at upload (contest.services.banks.readings), pictures stored by digest already
    reading: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
