"""Who may take part in a closed contest: the units' staff lists, and participants' requests to join."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.models.base import Base, UTCDateTime, one_of
from contest.models.contests import Contest
from contest.models.units import Unit
from contest.models.users import User

REQUEST_STATUSES = ("pending", "approved", "refused")


class StaffListEntry(Base):
    """A phone on a unit's staff list, as its unit admin last uploaded it."""

    __tablename__ = "staff_list_entries"
    __table_args__ = (UniqueConstraint("unit_id", "phone"), Index("ix_staff_list_entries_phone", "phone"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120), default="")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    unit: Mapped[Unit] = relationship()


class JoinRequest(Base):
    """A participant's request to take part in a contest that asks for approval, and the unit admin's answer."""

    __tablename__ = "join_requests"
    __table_args__ = (
        UniqueConstraint("contest_id", "user_id"),
        CheckConstraint(one_of("status", REQUEST_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # the unit whose administrator (or, for an organizer, the contest's scope) approved: the approval holds only
    # while the participant's unit lies under it
    decided_for_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))

    contest: Mapped[Contest] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_for_unit: Mapped[Unit | None] = relationship(foreign_keys=[decided_for_unit_id])
