"""Organizing bodies (Ban Tổ chức): who owns contests and question banks, and who works in each with which role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.models.base import Base, UTCDateTime, one_of
from contest.models.users import User

# quản lý, soạn đề, điều hành, thẩm định, theo dõi: what each may do is services.bodies.access's table.
BODY_ROLES = ("manager", "author", "operator", "reviewer", "viewer")


class Body(Base):
    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), unique=True)
    # the heading its documents carry by default ("UBND TỈNH HÒA BÌNH XANH"): a new contest takes it as the body above
    heading: Mapped[str] = mapped_column(String(255), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    memberships: Mapped[list[Membership]] = relationship(back_populates="body", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Body {self.short_name}>"


class Membership(Base):
    """A person's role in a body; a membership makes the account staff (services.bodies.memberships)."""

    __tablename__ = "body_memberships"
    __table_args__ = (CheckConstraint(one_of("role", BODY_ROLES), name="role_known"),)

    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    body: Mapped[Body] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
