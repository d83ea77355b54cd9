"""What the public sees of contests and rounds."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from contest.models import Contest, Round
from contest.services.errors import NotFound

VISIBLE_STATUSES = ("published", "archived")


def round_state(round_: Round, now: datetime) -> str:
    """'upcoming', 'open' or 'closed'."""
    if round_.closed_at is not None or now >= round_.closes_at:
        return "closed"
    return "open" if now >= round_.opens_at else "upcoming"


def next_change(round_: Round, now: datetime) -> datetime | None:
    """When the round next opens or closes, for the countdown; None once it is over."""
    state = round_state(round_, now)
    return {"upcoming": round_.opens_at, "open": round_.closes_at}.get(state)


def public_contests(session: Session) -> list[Contest]:
    query = (
        select(Contest)
        .where(Contest.status.in_(VISIBLE_STATUSES))
        .options(selectinload(Contest.rounds), selectinload(Contest.scope_unit))
        .order_by(Contest.status.desc(), Contest.created_at.desc())
    )
    return list(session.scalars(query))


def public_contest(session: Session, slug: str) -> Contest:
    contest = session.scalar(
        select(Contest)
        .where(Contest.slug == slug, Contest.status.in_(VISIBLE_STATUSES))
        .options(selectinload(Contest.rounds), selectinload(Contest.scope_unit))
    )
    if contest is None:
        raise NotFound(_("This contest does not exist."))
    return contest
