"""A person's name, unit and category after registration. The participant changes them until their first
attempt (they decide the tables and the unit counts from then on); afterwards only an organizer does, and the
change is in the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from contest.models import Attempt, Round, User
from contest.models.users import CATEGORIES
from contest.services.people import eligibility, events
from contest.services.people.accounts import can_manage
from contest.services.people.privacy import public_name
from contest.services.people.registration import FORMULA_STARTS
from contest.services.people.units import find_unit
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import Forbidden, InvalidInput

MAX_NAME = 120


class Details(TypedDict):
    """What a person's details form posts, as update_profile takes it."""

    name: str
    unit_code: str | None
    category: str | None


def has_taken_part(session: Session, user: User) -> bool:
    return session.scalar(select(Attempt.id).where(Attempt.user_id == user.id).limit(1)) is not None


def profile_of(user: User) -> dict[str, Any]:
    return {"name": user.name, "unit": user.unit.code if user.unit else None, "category": user.category}


def update_profile(
    session: Session,
    user: User,
    *,
    name: str,
    unit_code: str | None,
    category: str | None,
    by_staff: bool,
    actor: Actor,
    now: datetime,
) -> bool:
    """Change what differs; True when something did. Refused (Forbidden) for the participant themself once they
    have an attempt; InvalidInput names the field and changes nothing."""
    if not by_staff and has_taken_part(session, user):
        raise Forbidden(
            _("You have taken part already: your name, unit and category can now be changed only by the organizers.")
        )
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Enter your full name."), {"name": name})
    if len(name) > MAX_NAME:
        raise InvalidInput(_("The name is too long."), {"name": name})
    if name.startswith(FORMULA_STARTS):
        raise InvalidInput(_("A name cannot begin with = + - or @."), {"name": name})
    if (category and category not in CATEGORIES) or (not category and user.role == "participant"):
        # a participant's category places them in a contest's table: it cannot be left unset
        raise InvalidInput(_("Choose who you are from the list."), {"category": category or ""})
    unit = user.unit
    if unit_code and (unit is None or unit.code != unit_code):
        unit = find_unit(session, unit_code)
        if unit is None or not unit.active:
            raise InvalidInput(_("No unit has the code %(code)s.", code=unit_code), {"unit": unit_code})
    before = profile_of(user)
    user.name, user.unit, user.category = name, unit, category or None
    after = profile_of(user)
    if after == before:
        return False
    record(session, actor, "user.profile", f"user:{user.id}", before=before, after=after, now=now)
    if after["unit"] != before["unit"]:
        eligibility.reopen_approvals_left_behind(session, user)
    if after["name"] != before["name"]:  # the live boards show the new name at once, as each contest shows names
        taken = select(Attempt.round_id).where(Attempt.user_id == user.id)
        open_rounds = session.scalars(
            select(Round).where(Round.id.in_(taken), Round.finalized_at.is_(None))  # no DISTINCT over JSON columns
        ).all()
        names = {round_.id: public_name(name, round_.contest.name_display) for round_ in open_rounds}
        events.announce_renamed(user.id, names)
    return True


def correct_details(
    session: Session, admin: User, person: User, *, name: str, category: str | None, actor: Actor, now: datetime
) -> bool:
    """A unit administrator corrects the name and category of a person of their unit's subtree, before the person's
    first attempt (the category then places them in a contest's table; afterwards only the organizers change it);
    recorded in the audit log like every profile change. True when something changed."""
    if not can_manage(admin, person) or person.anonymised_at is not None:
        raise Forbidden(_("You cannot manage this account."))
    if has_taken_part(session, person):
        raise Forbidden(
            _("%(name)s has taken part already: only the organizers can change their details now.", name=person.name)
        )
    unit_code = person.unit.code if person.unit else None
    return update_profile(
        session, person, name=name, unit_code=unit_code, category=category, by_staff=True, actor=actor, now=now
    )
