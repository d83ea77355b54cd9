"""A unit administrator's view of their subtree: who has taken part in a round and who has not,
and a roster of staff matched against the accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest.models import Attempt, Round, Unit, User
from contest.models.attempts import FINISHED
from contest.services.people.phones import normalise_phone
from contest.services.people.units import in_subtree
from contest.services.shared import audit
from contest.services.shared.audit import Actor
from contest.services.shared.problems import FileProblems, Problem
from question_bank.messages import N_
from question_bank.tables import Table
from question_bank.text import header_key
from question_bank.workbooks import StreamedSheet, streamed_workbook


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    phone: str
    unit: str
    best_score: int | None  # None: has not finished an attempt in the round

    @property
    def took_part(self) -> bool:
        return self.best_score is not None


def members(session: Session, unit: Unit, round_: Round | None) -> list[Member]:
    best = (
        select(Attempt.user_id, func.max(Attempt.score).label("score"))
        .where(Attempt.round_id == (round_.id if round_ else -1), Attempt.status.in_(FINISHED))
        .group_by(Attempt.user_id)
        .subquery()
    )
    rows = session.execute(
        select(User.id, User.name, User.phone, Unit.name, best.c.score)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(best, best.c.user_id == User.id)
        .where(in_subtree(unit), User.role == "participant", User.anonymised_at.is_(None))
        .order_by(Unit.name, User.name)
    ).all()
    return [Member(*row) for row in rows]


def write_members_xlsx(
    session: Session, unit: Unit, round_: Round | None, target: BinaryIO, *, actor: Actor, now: datetime
) -> None:
    """The subtree's participants and whether they took part; the download is recorded (it lists phones)."""
    with streamed_workbook(target) as workbook:
        sheet = StreamedSheet(workbook, "Danh sách", [28, 14, 36, 12, 14], freeze="A2")
        sheet.header(["Họ và tên", "Số điện thoại", "Đơn vị", "Đã tham gia", "Điểm cao nhất"])
        for person in members(session, unit, round_):
            sheet.row([person.name, person.phone, person.unit, "Có" if person.took_part else "Chưa", person.best_score])
        after = {"round": round_.id if round_ else None}
        audit.record(session, actor, "members.export", f"unit:{unit.code}", after=after, now=now)


@dataclass(frozen=True)
class RosterLine:
    row: int
    name: str
    phone: str
    status: str  # "took_part", "registered", "not_registered" (in this unit: whether elsewhere is not said)
    account_name: str = ""


NAME_COLUMNS = ("hovaten", "hoten", "name", "ten")
PHONE_COLUMNS = ("sodienthoai", "dienthoai", "sdt", "phone")


def roster_columns(table: Table) -> tuple[int | None, int]:
    """The columns of a staff list: the name (if any) and the phone, headed in Vietnamese or English."""
    keys = [header_key(header) for header in table.headers]
    name_column = next((keys.index(k) for k in NAME_COLUMNS if k in keys), None)
    phone_column = next((keys.index(k) for k in PHONE_COLUMNS if k in keys), None)
    if phone_column is None:
        raise FileProblems([Problem(table.header_row, N_('the column "Số điện thoại" (phone) is missing'))])
    return name_column, phone_column


def match_roster(session: Session, unit: Unit, round_: Round | None, table: Table) -> list[RosterLine]:
    """A list of staff (columns name and phone, in Vietnamese or English) against the accounts of the unit's
    subtree."""
    name_column, phone_column = roster_columns(table)
    people = {member.phone: member for member in members(session, unit, round_)}
    lines = []
    for record in table.rows:
        raw_phone = record.get(phone_column)
        phone = normalise_phone(raw_phone) or raw_phone
        name = record.get(name_column)
        member = people.get(phone)
        if member is not None:
            lines.append(
                RosterLine(record.number, name, phone, "took_part" if member.took_part else "registered", member.name)
            )
            continue
        # Whether the phone has an account in another unit is that unit's business: a unit admin is not told.
        lines.append(RosterLine(record.number, name, phone, "not_registered"))
    return lines


def unit_to_show(session: Session, viewer: User, code: str | None) -> Unit | None:
    """A unit administrator sees their own unit; organizers and admins any unit by its code, else the root."""
    if viewer.role == "unit_admin":
        return viewer.managed_unit
    unit = session.scalar(select(Unit).where(Unit.code == code)) if code else None
    return unit or session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.code).limit(1))
