"""The administrative tree: province, departments, communes, unions."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from contest.models.base import Base, one_of
from question_bank.text import without_accents

UNIT_KINDS = (
    "province",
    "ministry",
    "department",
    "agency",
    "district",  # kept for units made before 1 July 2025; not offered for new ones (RETIRED_KINDS)
    "commune",
    "ward",
    "special_zone",
    "union",
    "association",
    "school",
    "enterprise",
    "other",
)
# Since 1 July 2025 local government has two levels (tỉnh/thành phố; xã/phường/đặc khu): a district is no longer a
# kind a new unit may take; existing ones keep it until an organizer reviews them (the units page lists them).
RETIRED_KINDS = ("district",)
OFFERED_KINDS = tuple(kind for kind in UNIT_KINDS if kind not in RETIRED_KINDS)


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint("headcount >= 0", name="headcount_not_negative"),
        CheckConstraint("staff >= 0", name="staff_not_negative"),
        CheckConstraint(
            "headcount_override IS NULL OR headcount_override >= 0", name="headcount_override_not_negative"
        ),
        CheckConstraint(one_of("kind", UNIT_KINDS), name="kind_known"),
        CheckConstraint("depth >= 0", name="depth_not_negative"),
        Index("ix_units_path", "path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    # The people a unit expects to take part, the rates' denominator: its own staff plus the headcounts of the
    # units below it (units.refresh_headcounts keeps it), unless an organizer set it by hand (headcount_override).
    headcount: Mapped[int] = mapped_column(default=0)
    staff: Mapped[int] = mapped_column(default=0, server_default="0")
    headcount_override: Mapped[int | None]
    # Materialised path of ids, "/1/7/": a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(512), default="/")
    depth: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # Code and name without accents, lower case: "so y te hbx-syt" finds "Sở Y tế" typed any way.
    search_text: Mapped[str] = mapped_column(String(300), default="", server_default="")

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.code")

    @validates("name", "code")
    def _keep_search_text(self, key: str, value: str) -> str:
        """search_text follows the name and the code, however the unit is made or changed."""
        name = value if key == "name" else self.name
        code = value if key == "code" else self.code
        self.search_text = f"{without_accents(name)} {(code or '').casefold()}"[:300]
        return value

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"
