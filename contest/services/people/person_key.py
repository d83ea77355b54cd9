"""One person across accounts: a deleted account keeps a keyed hash of its phone number (never the number itself),
so that a new account registered with the same phone is the same person for the contest's counts (attempts and
their limits, staff-list use, approvals and refusals, the table chosen) for as long as the results are kept.

The key is PHONE_HASH_KEY, or one derived from SECRET_KEY; it is kept for this purpose alone."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from sqlalchemy import Select, select

from contest.models import User


def _key() -> bytes:
    configured = current_app.config.get("PHONE_HASH_KEY")
    if configured:
        return str(configured).encode("utf-8")
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, b"phone-hash", hashlib.sha256).digest()


def person_key(phone: str) -> str:
    """The keyed hash a deleted account keeps of its (normalised) phone number."""
    return hmac.new(_key(), phone.encode("utf-8"), hashlib.sha256).hexdigest()


def earlier_accounts(user: User) -> Select[int]:
    """The ids of the deleted accounts that were this person (registered with the same phone)."""
    return select(User.id).where(User.person_key == person_key(user.phone), User.anonymised_at.is_not(None))
