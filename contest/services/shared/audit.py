"""Recording organizer and admin actions, in the same transaction as the action itself.

An action is taken by an account in the browser (`actor`) or by a `flask` command on the server
(`cli_user`, the operating-system account that ran it). Every entry keeps the state before and after."""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, TypeVar

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, joinedload

from contest import clock
from contest.models import Attempt, AuditEntry, BankUpload, Body, Contest, Question, QuestionBank, Round, User
from contest.services.shared.paging import closing_when_left, paginate
from question_bank.workbooks import StreamedSheet, streamed_workbook

PAGE_SIZE = 100
MAX_TARGET, MAX_CLI_USER, MAX_ACTOR_NAME = 120, 64, 120  # the columns' lengths
_Selected = TypeVar("_Selected", bound=tuple[Any, ...] | AuditEntry | int)


@dataclass(frozen=True)
class Actor:
    """Who performs an audited action: an account in the browser, or the server's user running a `flask` command.

    Every service that changes what organizers answer for takes one and records its own audit entry."""

    user: User | None = None
    cli_user: str | None = None

    @classmethod
    def account(cls, user: User) -> Actor:
        return cls(user=user)

    @classmethod
    def command_line(cls) -> Actor:
        return cls(cli_user=command_line_user())


def record(
    session: Session,
    actor: Actor,
    action: str,
    target: str = "",
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    now: datetime,
    body_id: int | None = None,
) -> None:
    """Add the entry to the session: it is committed, or rolled back, with the action itself. `body_id`: the
    organizing body whose contest or bank it concerns (its managers read it), found from the target when not given."""
    if actor.user is None and actor.cli_user is None:
        raise ValueError("an audit entry needs an account or the command line's user")
    if body_id is None:
        body_id = _body_of_target(session, target)
    session.add(
        AuditEntry(
            at=now,
            user_id=actor.user.id if actor.user else None,
            actor_name=actor.user.name[:MAX_ACTOR_NAME] if actor.user else None,
            cli_user=actor.cli_user[:MAX_CLI_USER] if actor.cli_user else None,
            action=action,
            body_id=body_id,
            target=target[:MAX_TARGET],  # a file's name can be long
            before=before,
            after=after,
        )
    )


def _body_of_target(session: Session, target: str) -> int | None:
    """The organizing body owning what an entry's target names ("contest:slug", "round:12", "bank:3", ...)."""
    kind, _sep, key = target.partition(":")
    if kind == "contest":
        return session.scalar(select(Contest.body_id).where(Contest.slug == key))
    if not key.isdecimal():
        return None
    number = int(key)
    statements: dict[str, Select[Any]] = {
        "round": select(Contest.body_id).join(Round).where(Round.id == number),
        "attempt": select(Contest.body_id).join(Round).join(Attempt).where(Attempt.id == number),
        "bank": select(QuestionBank.body_id).where(QuestionBank.id == number),
        "question": select(QuestionBank.body_id).join(Question).where(Question.id == number),
        "upload": select(BankUpload.body_id).where(BankUpload.id == number),
        "body": select(Body.id).where(Body.id == number),
    }
    return session.scalar(statements[kind]) if kind in statements else None


def command_line_user() -> str:
    """Who runs this `flask` command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (containers)
        return f"uid {os.getuid()}"


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any
    in_before: bool  # the entry recorded this field before the action
    in_after: bool


def changes(entry: AuditEntry) -> list[Change]:
    """What an entry recorded, field by field; a field recorded with the same value before and after (an
    edit that left it alone) is left out."""
    before, after = entry.before or {}, entry.after or {}
    fields = list(before) + [field for field in after if field not in before]
    found = [Change(f, before.get(f), after.get(f), f in before, f in after) for f in fields]
    return [c for c in found if not (c.in_before and c.in_after and c.before == c.after)]


def display_value(value: Any, limit: int = 300) -> str:
    """A recorded value as a person reads it: JSON for lists and mappings, cut after `limit` characters."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, dict | list) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def who(entry: AuditEntry) -> str:
    if entry.cli_user is not None:
        return _("Command line (%(user)s)", user=entry.cli_user)
    if entry.actor_name is not None:
        return entry.actor_name
    return entry.user.name if entry.user else "–"


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # one action code, or every action
    text: str = ""  # part of the target (round:12), of a person's name or phone, or of the command line's user
    # the entries of these organizing bodies only, and the viewer's own entries about no body (a password reset);
    # None: every entry (the platform administrator)
    bodies: frozenset[int] | None = None
    viewer_id: int | None = None

    def apply(self, statement: Select[_Selected]) -> Select[_Selected]:
        statement = statement.outerjoin(User, User.id == AuditEntry.user_id)
        if self.bodies is not None:
            own = and_(AuditEntry.body_id.is_(None), AuditEntry.user_id == self.viewer_id)
            statement = statement.where(or_(AuditEntry.body_id.in_(sorted(self.bodies)), own))
        if self.action:
            statement = statement.where(AuditEntry.action == self.action)
        text = self.text.strip()
        if text:
            statement = statement.where(
                or_(
                    AuditEntry.target.icontains(text, autoescape=True),
                    AuditEntry.actor_name.icontains(text, autoescape=True),
                    User.name.icontains(text, autoescape=True),
                    User.phone.contains(text, autoescape=True),
                    AuditEntry.cli_user.icontains(text, autoescape=True),
                )
            )
        return statement


def page(session: Session, where: AuditFilter | None = None, *, page: int = 1) -> Pagination:
    """The newest entries first."""
    statement = (where or AuditFilter()).apply(select(AuditEntry))
    statement = statement.options(joinedload(AuditEntry.user)).order_by(AuditEntry.id.desc())
    return paginate(session, statement, page=page, per_page=PAGE_SIZE)


def recorded_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def _json(value: dict[str, Any] | None) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if value is not None else ""


def write_xlsx(
    session: Session, target: BinaryIO, where: AuditFilter | None = None, *, actor: Actor, now: datetime
) -> int:
    """The filtered log with every field, as an .xlsx file; the download itself is recorded."""
    where = where or AuditFilter()
    only = next(iter(where.bodies)) if where.bodies is not None and len(where.bodies) == 1 else None
    record(session, actor, "audit.export", after={"action": where.action, "text": where.text}, now=now, body_id=only)
    with streamed_workbook(target) as workbook:
        sheet = StreamedSheet(workbook, "Nhật ký", [20, 28, 14, 24, 20, 50, 50], freeze="A2")
        sheet.header(
            ["Thời gian (giờ Việt Nam)", "Người thực hiện", "Số điện thoại", "Thao tác", "Đối tượng", "Trước", "Sau"]
        )
        statement = where.apply(select(AuditEntry)).options(joinedload(AuditEntry.user)).order_by(AuditEntry.id)
        count = 0
        for entry in closing_when_left(session.scalars(statement.execution_options(yield_per=1000))):
            count += 1
            sheet.row(
                [
                    clock.to_vietnam(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
                    who(entry),
                    entry.user.phone if entry.user else "",
                    entry.action,
                    entry.target,
                    _json(entry.before),
                    _json(entry.after),
                ]
            )
    return count
