"""Recording organizer and admin actions, in the same transaction as the action itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any, BinaryIO

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from contest import clock
from contest.models import AuditEntry, User


def record(
    session: Session,
    actor: User,
    action: str,
    target: str = "",
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    now: datetime,
) -> None:
    session.add(AuditEntry(at=now, user_id=actor.id, action=action, target=target, before=before, after=after))


def page(session: Session, *, limit: int = 100, offset: int = 0) -> tuple[list[AuditEntry], int]:
    total = session.scalar(select(func.count(AuditEntry.id))) or 0
    rows = session.scalars(
        select(AuditEntry)
        .options(joinedload(AuditEntry.user))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def write_xlsx(session: Session, target: BinaryIO) -> int:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhật ký"
    sheet.append(
        ["Thời gian (giờ Việt Nam)", "Người thực hiện", "Số điện thoại", "Thao tác", "Đối tượng", "Trước", "Sau"]
    )
    rows = session.scalars(select(AuditEntry).options(joinedload(AuditEntry.user)).order_by(AuditEntry.id)).all()
    for entry in rows:
        sheet.append(
            [
                clock.to_vietnam(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
                entry.user.name if entry.user else "",
                entry.user.phone if entry.user else "",
                entry.action,
                entry.target,
                str(entry.before) if entry.before is not None else "",
                str(entry.after) if entry.after is not None else "",
            ]
        )
    workbook.save(target)
    return len(rows)
