"""Creating accounts and checking passwords."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from contest.models import Attempt, Certificate, Membership, RankingEntry, Unit, User
from contest.models.users import ROLES, new_session_token
from contest.services.people import events
from contest.services.people.passwords import hash_password, needs_rehash, spend_a_check, verify_password
from contest.services.people.person_key import person_key
from contest.services.people.phones import normalise_phone
from contest.services.people.privacy import DELETED_ACCOUNT_NAME
from contest.services.people.units import find_unit
from contest.services.shared.audit import Actor, record
from contest.services.shared.cache import forget
from contest.services.shared.errors import Forbidden, InvalidInput, NotFound

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200  # what the login form accepts: a longer password could never be used


def check_password_rules(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("The password has at most %(count)d characters.", count=MAX_PASSWORD_LENGTH)
    return None


def find_by_phone(session: Session, phone: str) -> User | None:
    normalised = normalise_phone(phone)
    if normalised is None:
        return None
    return session.scalar(select(User).where(User.phone == normalised))


def create_user(
    session: Session,
    *,
    name: str,
    phone: str,
    password: str,
    now: datetime,
    role: str = "participant",
    unit: Unit | None = None,
    birth_date: date | None = None,
    category: str | None = None,
    consent: bool = False,
) -> User:
    fields = account_problems(session, name=name, phone=phone, password=password, role=role)
    if fields:
        raise InvalidInput(" ".join(fields.values()), fields)
    user = User(
        name=" ".join(name.split()),
        phone=normalise_phone(phone),
        password_hash=hash_password(password),
        role=role,
        unit=unit,
        birth_date=birth_date,
        category=category,
        created_at=now,
        consent_at=now if consent else None,
    )
    session.add(user)
    session.flush()
    return user


def account_problems(session: Session, *, name: str, phone: str, password: str, role: str) -> dict[str, str]:
    """What is wrong with these account fields, by field name; empty when nothing is."""
    fields: dict[str, str] = {}
    normalised = normalise_phone(phone)
    if not name.strip():
        fields["name"] = _("Enter your full name.")
    if normalised is None:
        fields["phone"] = _("Enter a Vietnamese phone number, for example 0912 345 678.")
    elif session.scalar(select(User.id).where(User.phone == normalised)) is not None:
        fields["phone"] = _("An account with this phone number already exists.")
    password_problem = check_password_rules(password)
    if password_problem:
        fields["password"] = password_problem
    if role not in ROLES:
        fields["role"] = _("Unknown role.")
    return fields


def password_matches(user: User, password: str) -> bool:
    return verify_password(user.password_hash, password)


def authenticate(session: Session, phone: str, password: str) -> User | None:
    """The active user with this phone and password, or None. A wrong phone costs as much time as
    a wrong password, so the answer does not tell which phones have accounts. A hash made another way (before
    Argon2id) is replaced by one made now, in the session's transaction: the caller commits."""
    user = find_by_phone(session, phone)
    if user is None or not user.is_active:
        spend_a_check(password)
        return None
    if not password_matches(user, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


ANONYMOUS_NAME = DELETED_ACCOUNT_NAME


def change_password(user: User, *, current: str, new: str) -> None:
    """A new password ends every other session of the account."""
    if not password_matches(user, current):
        raise InvalidInput(
            _("The current password is not correct."), {"current": _("The current password is not correct.")}
        )
    problem = check_password_rules(new)
    if problem:
        raise InvalidInput(problem, {"new": problem})
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()


def can_manage(actor: User, target: User) -> bool:
    """The platform administrator manages every account; a body's staff every participant (the routes ask for the
    right to help people in their body); a unit administrator the participants of their subtree. A unit
    administrator, shared by every body, is managed by the platform administrator only."""
    if actor.role == "admin":
        return True
    if actor.role == "organizer":
        return target.role == "participant"
    if actor.role == "unit_admin" and actor.managed_unit is not None:
        return (
            target.role == "participant"
            and target.unit is not None
            and target.unit.path.startswith(actor.managed_unit.path)
        )
    return False


def reset_password(session: Session, actor: User, target: User, *, now: datetime) -> str:
    """A temporary password, shown once to the administrator, who hands it over (no SMS here)."""
    if not can_manage(actor, target):
        raise Forbidden(_("You cannot manage this account."))
    temporary = "-".join(secrets.token_hex(2) for _ in range(3))
    target.password_hash = hash_password(temporary)
    target.session_token = new_session_token()
    record(session, Actor.account(actor), "user.password_reset", f"user:{target.id}", now=now)
    return temporary


def set_role(
    session: Session, actor: User, target: User, *, role: str, managed_unit_code: str | None, now: datetime
) -> None:
    """An administrator gives an account a role; a unit administrator manages one unit's subtree."""
    if actor.role != "admin":
        raise Forbidden(_("Only administrators change roles."))
    if role not in ROLES:
        raise InvalidInput(_("Unknown role."), {"role": role})
    unit: Unit | None = None
    if role == "unit_admin":
        unit = find_unit(session, managed_unit_code or "")
        if unit is None:
            raise InvalidInput(
                _("Choose the unit this administrator manages."), {"managed_unit": managed_unit_code or ""}
            )
    before = {"role": target.role, "managed_unit": target.managed_unit.code if target.managed_unit else None}
    if role not in ("organizer", "admin"):  # staff comes from a body's membership: no role left in any body
        session.execute(delete(Membership).where(Membership.user_id == target.id))
    target.role = role
    target.managed_unit = unit
    target.session_token = new_session_token()
    after = {"role": role, "managed_unit": unit.code if unit else None}
    record(session, Actor.account(actor), "user.role", f"user:{target.id}", before=before, after=after, now=now)


def create_admin(session: Session, *, name: str, phone: str, password: str, actor: Actor, now: datetime) -> User:
    """An administrator account (organizer rights, accounts and roles), as `users create-admin` makes it."""
    user = create_user(session, name=name, phone=phone, password=password, role="admin", now=now)
    after = {"name": user.name, "phone": user.phone, "role": user.role}
    record(session, actor, "user.create_admin", f"user:{user.id}", after=after, now=now)
    return user


def personal_data(session: Session, user: User, *, now: datetime) -> dict[str, Any]:
    """Everything the platform keeps about the participant, for download: the account, every attempt with its
    answers and prediction, the place and prize of every ranked round, and any disqualification."""
    attempts = session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.id).options(selectinload(Attempt.items))
    ).all()
    placed = {
        entry.attempt_id: entry
        for entry in session.scalars(select(RankingEntry).where(RankingEntry.user_id == user.id))
    }
    return {
        "name": user.name,
        "phone": user.phone,
        "birth_date": user.birth_date.isoformat() if user.birth_date else None,
        "category": user.category,
        "unit": user.unit.name if user.unit else None,
        "role": user.role,
        "registered_at": user.created_at.isoformat(),
        "consent_at": user.consent_at.isoformat() if user.consent_at else None,
        "registered_from_address": user.registered_address,
        "registered_from_device": user.registered_device,
        "attempts": [_attempt_data(attempt, placed.get(attempt.id), now) for attempt in attempts],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _attempt_data(attempt: Attempt, placed: RankingEntry | None, now: datetime) -> dict[str, Any]:
    shown = attempt.round.own_answers_shown(now)  # the round's rule, as the result page applies it
    return {
        "round": attempt.round.name,
        "contest": attempt.round.contest.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at.isoformat(),
        "deadline": attempt.deadline.isoformat(),
        "submitted_at": _iso(attempt.submitted_at),
        "finished_by": attempt.finished_by,
        "score": attempt.score,
        "total": attempt.total,
        "duration_ms": attempt.duration_ms,
        "prediction": attempt.prediction,
        "receipt": attempt.receipt,
        "rank": placed.rank if placed else None,
        "prize": placed.prize if placed else None,
        "disqualified_at": _iso(attempt.disqualified_at),
        "disqualification_reason": attempt.disqualification_reason,
        "started_from_address": attempt.client_address,
        "started_from_device": attempt.device,
        "time_away_from_the_page_ms": attempt.away_ms,
        "long_absences": attempt.long_absences,
        # the person's own answers, as the questions were shown to them, when the round's review shows them (which
        # options were right is not theirs to take from here: the review says when it is shown)
        "answers": None
        if not shown
        else [
            {
                "position": item.position,
                "question": item.snapshot["text"],
                "chosen": [
                    option["text"] for option in item.snapshot["options"] if option["id"] in (item.chosen or ())
                ],
                "answered_at": _iso(item.answered_at),
            }
            for item in sorted(attempt.items, key=lambda item: item.position)
        ],
    }


def anonymise(session: Session, user: User, *, now: datetime) -> None:
    """Deletion on request: the person disappears; scores stay, counted for the unit, under no name (with the
    category that placed them in a table, and a keyed hash of the phone: registering again is the same person).

    Only a participant deletes their own account: staff act on the contest and answer for it, so an organizer
    or unit admin is first made a participant by another organizer (recorded in the audit log)."""
    if user.role != "participant":
        raise Forbidden(
            _(
                "A staff account cannot be deleted by its holder: ask another organizer to make it a participant "
                "account first."
            )
        )
    # its certificates state the full name: withdrawn (the check page then says so, and shows nothing of them)
    in_force = (Certificate.user_id == user.id) & Certificate.revoked_at.is_(None)
    session.execute(update(Certificate).where(in_force).values(revoked_at=now))
    # one person, one set of attempts: what is kept of the phone is a keyed hash, so that registering again with it
    # does not start the contests' counts afresh; the category stays with the results it placed in a table
    user.person_key = person_key(user.phone)
    user.name = ANONYMOUS_NAME
    user.phone = f"x{user.id}"
    user.birth_date = None
    user.password_hash = "!"
    user.session_token = new_session_token()
    user.anonymised_at = now
    user.active = False
    user.registered_address = user.registered_device = None
    # where they took part from is theirs too
    session.execute(update(Attempt).where(Attempt.user_id == user.id).values(client_address=None, device=None))
    rounds = set(session.scalars(select(Attempt.round_id).where(Attempt.user_id == user.id)))
    events.announce_renamed(user.id, dict.fromkeys(rounds, ANONYMOUS_NAME))
    for round_id in rounds:
        forget(f"board:{round_id}:")


def find_accounts(session: Session, query: str, *, limit: int = 50) -> list[User]:
    """Accounts by their phone number (any way it is written) or by part of the name, for the accounts page."""
    query = query.strip()
    if not query:
        return []
    phone = normalise_phone(query)
    statement = select(User).where(User.phone == phone) if phone else select(User).where(User.name.ilike(f"%{query}%"))
    return list(session.scalars(statement.order_by(User.name).limit(limit)))


def find_account(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("This account does not exist."))
    return user
