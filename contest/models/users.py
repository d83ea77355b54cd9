"""Accounts: participants, unit administrators, organizers and admins."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from contest.models.base import Base, UTCDateTime, one_of
from contest.models.units import Unit
from question_bank.text import without_accents

ROLES = ("participant", "unit_admin", "organizer", "admin")
CATEGORIES = ("civil_servant", "union_member", "association_member", "worker", "citizen")


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role_known"),
        CheckConstraint(f"category IS NULL OR {one_of('category', CATEGORIES)}", name="category_known"),
        CheckConstraint("role != 'unit_admin' OR managed_unit_id IS NOT NULL", name="unit_admin_has_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Normalised national form, "0912345678": see services.phones.
    phone: Mapped[str] = mapped_column(String(15), unique=True)
    # optional, for password resets only (one account per address); lower case
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    birth_date: Mapped[date | None]
    category: Mapped[str | None] = mapped_column(String(30))
    # The name without accents, in lower case ("nguyen van an"), kept by `name`'s setter: searches ignore accents.
    search_name: Mapped[str] = mapped_column(String(160), default="", server_default="", index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="participant")
    managed_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A deleted account's keyed hash of its phone (services.people.person_key): the same person registering again
    # counts as one for attempts, approvals and tables; a live account has it only when a deleted one shares it.
    person_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # Part of the login cookie: changing it (password change, reset) logs out every session.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    # Where the participant registered from, for the integrity flags (accounts made together).
    registered_address: Mapped[str | None] = mapped_column(String(45))
    registered_device: Mapped[str | None] = mapped_column(String(16))

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    managed_unit: Mapped[Unit | None] = relationship(foreign_keys=[managed_unit_id])

    @validates("name")
    def _keep_search_name(self, _key: str, name: str) -> str:
        self.search_name = without_accents(name)[:160]  # lower case can be longer ("ß" -> "ss"): kept in the column
        return name

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active and self.anonymised_at is None

    def accepts_session(self, token: str) -> bool:
        """Whether a login cookie holding `token` is still good (a new password changes the token)."""
        return self.is_active and self.session_token == token

    @property
    def is_organizer(self) -> bool:
        return self.role in ("organizer", "admin")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
