"""Creating organizing bodies and managing their members. A membership makes an account staff (the `organizer`
role); losing its last one returns it to a participant. The platform administrator stands above the bodies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest.models import Body, Membership, User
from contest.models.bodies import BODY_ROLES
from contest.services.bodies.access import Access, Right, within
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import InvalidInput, NotFound

DEFAULT_NAME, DEFAULT_SHORT = "Ban Tổ chức cuộc thi", "BTC"
MAX_NAME, MAX_SHORT, MAX_HEADING = 255, 60, 255


def create_body(
    session: Session, *, name: str, short_name: str, heading: str = "", actor: Actor, now: datetime
) -> Body:
    name, short_name, heading = " ".join(name.split()), " ".join(short_name.split()), " ".join(heading.split())
    problems: dict[str, str] = {}
    if not name or len(name) > MAX_NAME:
        problems["name"] = _("The body needs a name of at most %(max)d characters.", max=MAX_NAME)
    elif session.scalar(select(Body.id).where(func.lower(Body.name) == name.lower())):
        problems["name"] = _("The name %(name)s is already taken.", name=name)
    if not short_name or len(short_name) > MAX_SHORT:
        problems["short_name"] = _("The body needs a short name of at most %(max)d characters.", max=MAX_SHORT)
    elif session.scalar(select(Body.id).where(func.lower(Body.short_name) == short_name.lower())):
        problems["short_name"] = _("The short name %(name)s is already taken.", name=short_name)
    if len(heading) > MAX_HEADING:
        problems["heading"] = _("The heading has at most %(max)d characters.", max=MAX_HEADING)
    if problems:
        raise InvalidInput(" ".join(problems.values()), problems)
    body = Body(name=name, short_name=short_name, heading=heading, created_at=now)
    session.add(body)
    session.flush()
    record(session, actor, "body.create", f"body:{body.id}", after=_state(body), now=now, body_id=body.id)
    return body


def _state(body: Body) -> dict[str, str]:
    return {"name": body.name, "short_name": body.short_name, "heading": body.heading}


def find_body(session: Session, body_id: int) -> Body:
    body = session.get(Body, body_id)
    if body is None:
        raise NotFound(_("No organizing body has the id %(id)d.", id=body_id))
    return body


def body_for_new(session: Session, body_id: int | None, now: datetime) -> Body:
    """The body a new contest or bank belongs to: the one named, else the only one (made on a fresh platform, so
    the commands work as before); with several, it must be named."""
    if body_id is not None:
        return find_body(session, body_id)
    bodies = list(session.scalars(select(Body).order_by(Body.id).limit(2)))
    if len(bodies) == 1:
        return bodies[0]
    if bodies:
        message = _("There are several organizing bodies: say which one (--body ID; `body list` shows them).")
        raise InvalidInput(message, {"body": message})
    body = Body(name=DEFAULT_NAME, short_name=DEFAULT_SHORT, heading="", created_at=now)
    session.add(body)
    session.flush()
    return body


def add_member(session: Session, body: Body, user: User, role: str, *, actor: Actor, now: datetime) -> Membership:
    """Give `user` the role in `body` (a second call changes the role)."""
    if role not in BODY_ROLES:
        message = _("The role must be one of %(roles)s.", roles=", ".join(BODY_ROLES))
        raise InvalidInput(message, {"role": message})
    if not user.is_active:
        raise InvalidInput(_("This account is closed."), {"phone": _("This account is closed.")})
    if user.role == "unit_admin":
        message = _(
            "%(name)s administers a unit: a unit administrator cannot also be a member of a body.", name=user.name
        )
        raise InvalidInput(message, {"phone": message})
    membership = session.get(Membership, (body.id, user.id))
    before = {"role": membership.role} if membership else None
    if membership is None:
        membership = Membership(body=body, user=user, role=role, created_at=now)
        session.add(membership)
    elif membership.role == "manager" and role != "manager":
        _keep_a_manager(session, body, user)
        membership.role = role
    else:
        membership.role = role
    if user.role == "participant":
        user.role = "organizer"
    session.flush()
    record(
        session,
        actor,
        "body.member",
        f"body:{body.id}",
        before=before,
        after={"person": user.name, "phone": user.phone, "role": role},
        now=now,
        body_id=body.id,
    )
    return membership


def _keep_a_manager(session: Session, body: Body, leaving: User) -> None:
    others = session.scalar(
        select(func.count()).where(
            Membership.body_id == body.id, Membership.role == "manager", Membership.user_id != leaving.id
        )
    )
    if not others:
        raise InvalidInput(_("A body keeps at least one manager: add another manager first."))


def remove_member(session: Session, body: Body, user: User, *, actor: Actor, now: datetime) -> None:
    membership = session.get(Membership, (body.id, user.id))
    if membership is None:
        raise NotFound(_("%(name)s is not a member of this body.", name=user.name))
    if membership.role == "manager":
        _keep_a_manager(session, body, user)
    session.delete(membership)
    session.flush()
    remaining = session.scalar(select(func.count()).where(Membership.user_id == user.id))
    if not remaining and user.role == "organizer":
        user.role = "participant"
    record(
        session,
        actor,
        "body.member_removed",
        f"body:{body.id}",
        before={"person": user.name, "phone": user.phone, "role": membership.role},
        now=now,
        body_id=body.id,
    )


@dataclass(frozen=True)
class BodySummary:
    body: Body
    members: list[Membership]


def list_bodies(session: Session, body_ids: set[int] | None = None) -> list[BodySummary]:
    """The bodies (those of `body_ids`, or all), each with its members by role."""
    query = select(Body).order_by(Body.name)
    if body_ids is not None:
        query = query.where(Body.id.in_(sorted(body_ids)))
    bodies = list(session.scalars(query))
    members = session.scalars(
        select(Membership).where(Membership.body_id.in_([body.id for body in bodies])).join(User).order_by(User.name)
    ).all()
    by_body: dict[int, list[Membership]] = {}
    for membership in members:
        by_body.setdefault(membership.body_id, []).append(membership)
    order = {role: index for index, role in enumerate(BODY_ROLES)}
    return [BodySummary(body, sorted(by_body.get(body.id, []), key=lambda m: order[m.role])) for body in bodies]


def bodies_of_person(session: Session, access: Access) -> list[tuple[Body, str | None]]:
    """The bodies a person works in, with their role (None: the platform administrator, above every body)."""
    bodies = session.scalars(select(Body).where(within(Body.id, access.bodies(Right.STAFF))).order_by(Body.name))
    return [(body, None if access.admin else access.roles.get(body.id)) for body in bodies]


def body_choices(session: Session, access: Access, right: Right) -> list[tuple[int, str]]:
    """The bodies where the person has `right`, for a form's picker (id, name); on a platform without a body yet,
    the administrator's choice 0 makes the first one (body_for_new)."""
    bodies = session.scalars(select(Body).where(within(Body.id, access.bodies(right))).order_by(Body.name))
    choices = [(body.id, body.name) for body in bodies]
    return choices or ([(0, DEFAULT_NAME)] if access.admin else [])
