"""Who may take part in a contest (phones cannot be verified by SMS here), as the organizer chose:

- anyone registered in the contest's scope;
- only phones on a staff list: the one of the participant's unit or of a unit above it, uploaded by that unit's
  admin (closed contests for civil servants);
- anyone whose request the admin of their unit (or of a unit above it), or an organizer, approved.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, joinedload

from contest.models import Contest, JoinRequest, StaffListEntry, Unit, User
from contest.services.bodies.access import Right, access_of, within
from contest.services.people.person_key import earlier_accounts
from contest.services.people.phones import normalise_phone
from contest.services.people.unit_members import roster_columns
from contest.services.people.units import in_subtree
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import Forbidden, InvalidInput, NotFound
from contest.services.shared.problems import FileProblems, Problem
from question_bank.messages import N_
from question_bank.tables import Table

MAX_NAME = 120


class Standing(StrEnum):
    """Where a participant stands with a contest's rule."""

    OPEN = "open"  # anyone may take part
    LISTED = "listed"  # on a staff list
    NOT_LISTED = "not_listed"
    NOT_REQUESTED = "not_requested"
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


ALLOWED = (Standing.OPEN, Standing.LISTED, Standing.APPROVED)


def _lineage(unit: Unit | None) -> list[int]:
    """The unit and every unit above it, from its path (/1/5/9/)."""
    if unit is None:
        return []
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def on_staff_list(session: Session, user: User) -> bool:
    found = session.scalar(
        select(StaffListEntry.id)
        .where(StaffListEntry.phone == user.phone, StaffListEntry.unit_id.in_(_lineage(user.unit)))
        .limit(1)
    )
    return found is not None


def standing(session: Session, user: User, contest: Contest) -> Standing:
    if contest.eligibility == "staff_list":
        return Standing.LISTED if on_staff_list(session, user) else Standing.NOT_LISTED
    if contest.eligibility == "approval":
        found = session.execute(
            select(JoinRequest.status, Unit.path)
            .outerjoin(Unit, Unit.id == JoinRequest.decided_for_unit_id)
            .where(JoinRequest.contest_id == contest.id, JoinRequest.user_id == user.id)
        ).first()
        # a refusal given to a deleted account of the same person still holds
        refused_before = user.person_key and session.scalar(
            select(JoinRequest.id).where(
                JoinRequest.contest_id == contest.id,
                JoinRequest.user_id.in_(earlier_accounts(user)),
                JoinRequest.status == "refused",
            )
        )
        if refused_before and (found is None or found.status != "approved"):
            return Standing.REFUSED
        if found is None:
            return Standing.NOT_REQUESTED
        if found.status == "approved" and found.path and not (user.unit and user.unit.path.startswith(found.path)):
            return Standing.PENDING  # approved for a unit the person has left: the new unit's admin decides
        return Standing(found.status)
    return Standing.OPEN


def check_may_take_part(session: Session, user: User, contest: Contest) -> None:
    """Raise Forbidden, saying what to do, unless the participant may take part."""
    found = standing(session, user, contest)
    if found in ALLOWED:
        return
    unit = user.unit.name if user.unit else ""
    messages = {
        Standing.NOT_LISTED: _(
            "This contest is for the staff on their unit's list. Your phone number is not on the list of %(unit)s: "
            "ask your unit's administrator to add it.",
            unit=unit,
        ),
        Standing.NOT_REQUESTED: _("This contest takes part on approval: send a request from the contest's page."),
        Standing.PENDING: _("Your request to take part is waiting for your unit administrator's approval."),
        Standing.REFUSED: _("Your request to take part was not approved. Ask your unit administrator."),
    }
    raise Forbidden(messages[found])


def reopen_approvals_left_behind(session: Session, user: User) -> None:
    """After a move to another unit, approvals given for a unit the person has left wait again for a decision (the
    new unit's administrator sees them among the requests)."""
    requests = session.scalars(
        select(JoinRequest)
        .where(JoinRequest.user_id == user.id, JoinRequest.status == "approved")
        .options(joinedload(JoinRequest.decided_for_unit))
    ).all()
    for request in requests:
        approved_for = request.decided_for_unit
        if approved_for is not None and not (user.unit and user.unit.path.startswith(approved_for.path)):
            request.status, request.decided_at, request.decided_by_id = "pending", None, None


def request_to_join(session: Session, user: User, contest: Contest, *, now: datetime) -> JoinRequest:
    """Ask to take part (once: asking again changes nothing, whatever the answer was)."""
    if contest.eligibility != "approval":
        raise InvalidInput(_("This contest does not take requests."), {})
    if user.role != "participant":
        raise Forbidden(_("Only participants ask to take part."))
    existing = session.scalar(
        select(JoinRequest).where(JoinRequest.contest_id == contest.id, JoinRequest.user_id == user.id)
    )
    if existing is not None:
        return existing
    request = JoinRequest(contest=contest, user=user, status="pending", requested_at=now)
    session.add(request)
    session.flush()
    return request


def _can_decide(session: Session, viewer: User, request: JoinRequest) -> bool:
    """The staff of the contest's body who run it, or the administrator of a unit above the participant."""
    participant = request.user
    if viewer.is_organizer:
        return access_of(session, viewer).can(Right.CONTEST_EDIT, request.contest.body_id)
    managed = viewer.managed_unit if viewer.role == "unit_admin" else None
    return managed is not None and participant.unit is not None and managed.id in _lineage(participant.unit)


def requests_to_decide(
    session: Session, unit: Unit, contest_bodies: Collection[int] | None = None
) -> list[JoinRequest]:
    """The requests of the unit's subtree (for contests of `contest_bodies`; all for None): waiting first, then the
    latest decided ones."""
    statement = (
        select(JoinRequest)
        .join(User, User.id == JoinRequest.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .join(Contest, Contest.id == JoinRequest.contest_id)
        .where(in_subtree(unit), within(Contest.body_id, contest_bodies))
        .options(joinedload(JoinRequest.user).joinedload(User.unit), joinedload(JoinRequest.contest))
        .order_by((JoinRequest.status != "pending"), JoinRequest.requested_at.desc())
        .limit(500)
    )
    return list(session.scalars(statement).unique())


def decide(session: Session, request_id: int, *, approve: bool, actor: Actor, now: datetime) -> JoinRequest:
    """Approve or refuse a request (a decision can be changed); only the participant's unit admin or above."""
    request = session.get(JoinRequest, request_id)
    if request is None or actor.user is None or not _can_decide(session, actor.user, request):
        raise NotFound(_("This request does not exist."))
    before = {"status": request.status}
    request.status = "approved" if approve else "refused"
    request.decided_at, request.decided_by_id = now, actor.user.id
    # the unit the decision is given for: the unit admin's own, or the contest's scope for an organizer
    request.decided_for_unit = (
        actor.user.managed_unit if actor.user.role == "unit_admin" else request.contest.scope_unit
    )
    record(
        session,
        actor,
        "join.decide",
        f"contest:{request.contest.slug}",
        before={**before, "participant": request.user_id},
        after={
            "status": request.status,
            "participant": request.user_id,
            "unit": request.decided_for_unit.code if request.decided_for_unit else None,
        },
        now=now,
    )
    return request


@dataclass(frozen=True)
class StaffLine:
    row: int
    name: str
    phone: str


def staff_lines(table: Table) -> list[StaffLine]:
    """The rows of a staff list (columns name and phone, in Vietnamese or English); every unreadable phone is a
    problem reported by row, and nothing is kept when there is one."""
    name_column, phone_column = roster_columns(table)
    lines, problems = [], []
    for row in table.rows:
        raw = (row.get(phone_column) or "").strip()
        phone = normalise_phone(raw)
        if phone is None:
            problems.append(Problem(row.number, N_("“%(phone)s” is not a Vietnamese phone number", phone=raw[:30])))
            continue
        lines.append(StaffLine(row.number, (row.get(name_column) or "").strip()[:MAX_NAME], phone))
    if problems:
        raise FileProblems(problems)
    return lines


def save_staff_list(
    session: Session, unit: Unit, lines: list[StaffLine], *, source: str, actor: Actor, now: datetime
) -> int:
    """The unit's staff list becomes these phones (the previous list is replaced); returns how many."""
    phones = {line.phone: line.name for line in lines}
    before = staff_list_size(session, unit)
    session.execute(delete(StaffListEntry).where(StaffListEntry.unit_id == unit.id))
    if phones:
        session.execute(
            insert(StaffListEntry),
            [{"unit_id": unit.id, "phone": p, "name": n, "uploaded_at": now} for p, n in phones.items()],
        )
    after = {"file": source, "phones": len(phones)}
    record(session, actor, "staff_list.save", f"unit:{unit.code}", before={"phones": before}, after=after, now=now)
    return len(phones)


def staff_list_size(session: Session, unit: Unit) -> int:
    return session.scalar(select(func.count(StaffListEntry.id)).where(StaffListEntry.unit_id == unit.id)) or 0
