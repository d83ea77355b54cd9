"""The final ranking of a round, computed once when it closes, with the reason for each place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.models.attempts import Attempt
from contest.models.base import Base, UTCDateTime
from contest.models.users import User


class RankingEntry(Base):
    __tablename__ = "ranking_entries"
    __table_args__ = (UniqueConstraint("round_id", "rank"), UniqueConstraint("round_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    rank: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    score: Mapped[int]
    total: Mapped[int]
    duration_ms: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    prediction: Mapped[int | None]
    prediction_distance: Mapped[int | None]
    # The link of the ranking chain that put this entry below the one before it ("score", ...).
    decided_by: Mapped[str | None] = mapped_column(String(30))
    prize: Mapped[str | None] = mapped_column(String(20))
    # In a contest with tables: the participant's table (by their category at the close) and the place in it;
    # prizes are given by that place. None without tables, or for a participant whose category is in no table.
    table_key: Mapped[str | None] = mapped_column(String(8))
    table_rank: Mapped[int | None]

    user: Mapped[User] = relationship()
    attempt: Mapped[Attempt] = relationship()
