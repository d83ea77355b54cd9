"""Participants registering themselves: one account per phone, a unit, consent recorded with its time."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contest.models import User
from contest.models.users import CATEGORIES
from contest.services.people.accounts import account_problems, create_user
from contest.services.people.origins import ClientOrigin
from contest.services.people.password_reset import check_email_free, normalise_email
from contest.services.people.person_key import earlier_accounts, person_key
from contest.services.people.units import find_unit
from contest.services.shared.errors import InvalidInput

CATEGORY_LABELS = {
    "civil_servant": _l("Cadre, civil servant or public employee"),
    "union_member": _l("Youth union member"),
    "association_member": _l("Member of an association (women, farmers, veterans...)"),
    "worker": _l("Worker"),
    "citizen": _l("Citizen"),
}


# What a spreadsheet takes for the start of a formula: no one's name begins with these.
FORMULA_STARTS = ("=", "+", "-", "@")


def parse_birth_date(raw: str | None, today: date) -> date | None:
    """2001-09-02 or 02/09/2001; None when empty. Raises ValueError when it is no plausible birth date."""
    text = (raw or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            value = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if value.year < 1900 or value > today:
            raise ValueError(text)
        return value
    raise ValueError(text)


def register_participant(
    session: Session,
    *,
    name: str,
    phone: str,
    password: str,
    unit_code: str,
    now: datetime,
    birth_date: str | None = None,
    category: str | None = None,
    consent: bool = False,
    origin: ClientOrigin | None = None,
    email: str | None = None,
) -> User:
    """Create the participant's account, or raise InvalidInput with every field's problem. `email` is optional,
    kept only for password resets (one account per address)."""
    fields: dict[str, str] = {}
    address: str | None = None
    try:
        address = normalise_email(email)
        check_email_free(session, address)
    except InvalidInput as problem:
        fields.update(problem.fields)
    unit = find_unit(session, unit_code) if unit_code and unit_code.strip() else None
    if unit is None or not unit.active:
        fields["unit_code"] = _("Choose your unit from the list.")
    try:
        born = parse_birth_date(birth_date, now.date())
    except ValueError:
        fields["birth_date"] = _("Enter a real date of birth, for example 02/09/1990.")
        born = None
    if not category or category not in CATEGORIES:  # every contest may rank its tables by it
        fields["category"] = _("Choose who you are from the list.")
    if not consent:
        fields["consent"] = _("You need to agree to the processing of your personal data to take part.")
    if len(" ".join(name.split())) > 120:
        fields["name"] = _("The name is too long.")
    elif name.strip().startswith(FORMULA_STARTS):
        fields["name"] = _("A name cannot begin with = + - or @.")
    fields = {**account_problems(session, name=name, phone=phone, password=password, role="participant"), **fields}
    if fields:
        raise InvalidInput(" ".join(fields.values()), fields)
    try:
        user = create_user(
            session,
            name=name,
            phone=phone,
            password=password,
            now=now,
            unit=unit,
            birth_date=born,
            category=category or None,
            consent=consent,
        )
    except IntegrityError:  # two registrations of one phone at the same moment
        session.rollback()
        message = _("An account with this phone number already exists.")
        raise InvalidInput(message, {"phone": message}) from None
    if origin is not None:
        user.registered_address, user.registered_device = origin.address, origin.device
    user.email = address
    # the same phone as a deleted account: the same person, whose counts go on (services.people.person_key); an
    # account with none before it keeps the key empty, so its hot requests look at its own rows only
    if session.scalar(earlier_accounts(user).limit(1)):
        user.person_key = person_key(user.phone)
    return user
