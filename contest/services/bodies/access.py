"""What a person may do in which organizing body: one table of roles and rights, read by every organizer page,
download and list (contest.auth.scope) and by the few participant pages staff see more of (draft previews,
certificates, unit pages)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from contest.models import Membership, Question, User


class Right(StrEnum):
    STAFF = "staff"  # any member: the organizer home
    BANKS = "banks"  # read banks with their keys, export them
    BANK_EDIT = "bank_edit"  # upload, import, edit and deactivate questions, resolve disputes
    REVIEW = "review"  # mark questions checked or disputed (not one's own: may_review)
    CONTESTS = "contests"  # read contests and rounds: drafts, monitoring, results, documents, certificates
    CONTEST_EDIT = "contest_edit"  # create and change contests and rounds, close, publish, prizes, board
    ROUND_REVIEW = "round_review"  # a round's question analysis and integrity flags, disqualifying
    PEOPLE = "people"  # help participants: find an account, reset its password, correct its details
    UNITS = "units"  # the province's unit tree, shared by the bodies: upload and edit it
    MEMBERS = "members"  # the body's members and their roles
    AUDIT = "audit"  # the body's entries in the audit log
    PLATFORM = "platform"  # the platform administrator only: the unit tree, roles, creating bodies


# quản lý, soạn đề, điều hành, thẩm định, theo dõi
ROLE_RIGHTS: dict[str, frozenset[Right]] = {
    "manager": frozenset(
        {
            Right.STAFF,
            Right.BANKS,
            Right.BANK_EDIT,
            Right.REVIEW,
            Right.CONTESTS,
            Right.CONTEST_EDIT,
            Right.ROUND_REVIEW,
            Right.PEOPLE,
            Right.UNITS,
            Right.MEMBERS,
            Right.AUDIT,
        }
    ),
    "author": frozenset({Right.STAFF, Right.BANKS, Right.BANK_EDIT, Right.REVIEW}),
    "operator": frozenset({Right.STAFF, Right.CONTESTS, Right.CONTEST_EDIT, Right.ROUND_REVIEW, Right.PEOPLE}),
    "reviewer": frozenset({Right.STAFF, Right.BANKS, Right.REVIEW}),
    "viewer": frozenset({Right.STAFF, Right.CONTESTS}),
}


@dataclass(frozen=True)
class Access:
    """A person's roles by body id; the platform administrator has every right in every body."""

    user_id: int | None
    admin: bool = False
    roles: dict[int, str] = field(default_factory=dict)

    def can(self, right: Right, body_id: int | None) -> bool:
        if self.admin:
            return True
        if body_id is None or right == Right.PLATFORM:
            return False
        role = self.roles.get(body_id)
        return role is not None and right in ROLE_RIGHTS[role]

    def can_anywhere(self, right: Right) -> bool:
        return self.admin or any(right in ROLE_RIGHTS[role] for role in self.roles.values())

    def bodies(self, right: Right) -> Collection[int] | None:
        """The bodies where the person has `right`; None: all of them (the platform administrator)."""
        if self.admin:
            return None
        return {body_id for body_id, role in self.roles.items() if right in ROLE_RIGHTS[role]}

    def may_review(self, question: Question, body_id: int) -> bool:
        """A reviewer (thẩm định) checks any question of the body; a manager or an author only one they did not
        import or last edit: the key is checked by a second person."""
        role = self.roles.get(body_id)
        if role == "reviewer":
            return True
        if role in ("manager", "author") or self.admin:
            return question.edited_by_id is None or question.edited_by_id != self.user_id
        return False


NOBODY = Access(user_id=None)


def access_of(session: Session, user: User) -> Access:
    """Read once per request: the person's memberships."""
    if user.role == "admin":
        return Access(user_id=user.id, admin=True)
    rows = session.execute(select(Membership.body_id, Membership.role).where(Membership.user_id == user.id)).all()
    return Access(user_id=user.id, roles={int(row[0]): str(row[1]) for row in rows})


def within(column: InstrumentedAttribute[int], bodies: Collection[int] | None) -> ColumnElement[bool]:
    """A WHERE clause keeping rows of `bodies` (everything for None)."""
    return true() if bodies is None else column.in_(sorted(bodies))
