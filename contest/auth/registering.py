"""Registration from the page's form or the API's JSON body: the same fields, the same rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contest import clock
from contest.auth.permissions import current_origin
from contest.extensions import db
from contest.models import User
from contest.services.people.registration import register_participant


def register_from(values: Mapping[str, Any]) -> User:
    """Register the participant these values describe (InvalidInput names the fields at fault)."""

    def text(key: str) -> str:
        value = values.get(key)
        return value if isinstance(value, str) else ""

    return register_participant(
        db.session(),
        name=text("name"),
        phone=text("phone"),
        password=text("password"),
        unit_code=text("unit_code"),
        birth_date=text("birth_date"),
        category=text("category"),
        email=text("email"),
        consent=values.get("consent") in (True, "y", "on", "true", "1"),
        now=clock.now(),
        origin=current_origin(),
    )
