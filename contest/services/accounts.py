"""Creating accounts and checking passwords."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from contest.models import Unit, User
from contest.models.users import ROLES
from contest.services.errors import InvalidInput
from contest.services.phones import normalise_phone

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
        password_hash=generate_password_hash(password),
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
    return check_password_hash(user.password_hash, password)


_DUMMY_HASH: str | None = None


def authenticate(session: Session, phone: str, password: str) -> User | None:
    """The active user with this phone and password, or None. A wrong phone costs as much time as
    a wrong password, so the answer does not tell which phones have accounts."""
    global _DUMMY_HASH
    user = find_by_phone(session, phone)
    if user is None or not user.is_active:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = generate_password_hash("not-a-password")
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if password_matches(user, password) else None
