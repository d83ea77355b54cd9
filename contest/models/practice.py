"""Practice (thi thử): what a signed-in person answered, so their practice page can say what they get wrong most.

Practice never touches attempts, rankings or boards: its answers live here alone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contest.models.base import Base, UTCDateTime


class PracticeAnswer(Base):
    __tablename__ = "practice_answers"
    __table_args__ = (
        # one row per question of a practice set: sending the same answer again (a refresh) records nothing new
        UniqueConstraint("user_id", "contest_id", "set_seed", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    set_seed: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    topic: Mapped[str] = mapped_column(String(200), default="")
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
