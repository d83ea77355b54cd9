"""Resetting a password on someone's behalf, shared by the organizer and unit-administrator pages."""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import current_user

from contest import clock
from contest.extensions import db
from contest.models import User
from contest.services.people import accounts
from contest.services.shared.errors import DomainError


def reset_and_show(user_id: int) -> User:
    """Reset the account's password (403 outside the actor's reach) and show the temporary one once."""
    target = accounts.find_account(db.session(), user_id)
    try:
        temporary = accounts.reset_password(db.session(), current_user, target, now=clock.now())
    except DomainError:
        abort(403)
    db.session.commit()
    flash(
        _(
            "New temporary password of %(name)s: %(password)s. Give it to them; they can change it after logging in.",
            name=target.name,
            password=temporary,
        ),
        "success",
    )
    return target
