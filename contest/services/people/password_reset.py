"""Forgotten passwords: a participant who gave an email address gets a one-time link to set a new password.

The link carries a signed token (itsdangerous, the app's secret) naming the account, the moment it was made and a
stamp of the current password: it expires after RESET_LIFETIME, and it works once, since setting the password
changes the stamp. Asking gives the same answer whether or not the address is known, so the page tells nobody which
addresses have accounts."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contest.models import User
from contest.models.users import new_session_token
from contest.services.people.accounts import check_password_rules
from contest.services.people.passwords import hash_password
from contest.services.shared.audit import Actor, record
from contest.services.shared.errors import InvalidInput

RESET_LIFETIME = timedelta(hours=1)
MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(raw: str | None) -> str | None:
    """An address as stored (trimmed, lower case), None when empty; InvalidInput when it is not one."""
    text = (raw or "").strip().lower()
    if not text:
        return None
    if len(text) > MAX_EMAIL or not _EMAIL.match(text):
        message = _("Enter an email address such as ten@example.com, or leave it empty.")
        raise InvalidInput(message, {"email": message})
    return text


def check_email_free(session: Session, email: str | None, user: User | None = None) -> None:
    """One account per address."""
    if email is None:
        return
    owner = session.scalar(select(User.id).where(func.lower(User.email) == email))
    if owner is not None and (user is None or owner != user.id):
        message = _("Another account uses this email address.")
        raise InvalidInput(message, {"email": message})


def set_email(session: Session, user: User, raw: str | None, *, actor: Actor, now: datetime) -> None:
    email = normalise_email(raw)
    check_email_free(session, email, user)
    if email == user.email:
        return
    before = {"email": bool(user.email)}
    user.email = email
    record(session, actor, "user.email", f"user:{user.id}", before=before, after={"email": bool(email)}, now=now)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="password-reset")


def _stamp(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]


def reset_token(user: User, now: datetime) -> str:
    return str(_serializer().dumps({"u": user.id, "s": _stamp(user), "t": int(now.timestamp())}))


def account_for_reset(session: Session, email: str | None) -> User | None:
    """The active participant account of this address (staff reset through another organizer)."""
    if not email:
        return None
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active or user.anonymised_at is not None or user.role != "participant":
        return None
    return user


def user_for_token(session: Session, token: str, now: datetime) -> User | None:
    """The account a link is for, or None when it is forged, expired or used already."""
    try:
        data: Any = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("t"), int):
        return None
    if now.timestamp() - data["t"] > RESET_LIFETIME.total_seconds():
        return None
    user = session.get(User, data["u"])
    if user is None or not user.active or user.anonymised_at is not None or data.get("s") != _stamp(user):
        return None
    return user


def reset_password(session: Session, token: str, new_password: str, *, now: datetime) -> User:
    """Set the new password of the link's account (every session of the account ends); the link is then spent."""
    user = user_for_token(session, token, now)
    if user is None:
        raise InvalidInput(_("This link has expired or was used already. Ask for a new one."), {})
    problem = check_password_rules(new_password)
    if problem:
        raise InvalidInput(problem, {"password": problem})
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    record(session, Actor.account(user), "user.password_reset", f"user:{user.id}", now=now)
    return user
