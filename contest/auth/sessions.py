"""Starting and ending a login session.

A login starts a new session (nothing of the visitor's earlier session is carried over) and is remembered on
the device for a while: participants 30 days, staff 12 hours. Logging out ends the session on the server too:
the account's session token changes, so a copy of the cookie (or a remember-me cookie) no longer works."""

from __future__ import annotations

from datetime import timedelta

from flask import session
from flask_login import current_user, login_user, logout_user

from contest.extensions import db
from contest.models import User
from contest.models.users import new_session_token

PARTICIPANT_REMEMBERED = timedelta(days=30)
STAFF_REMEMBERED = timedelta(hours=12)


def start_session(user: User, *, remember: bool = True) -> None:
    session.clear()
    duration = PARTICIPANT_REMEMBERED if user.role == "participant" else STAFF_REMEMBERED
    login_user(user, remember=remember, duration=duration)


def end_session() -> None:
    """Log out here and everywhere this account is logged in."""
    if current_user.is_authenticated:
        current_user.session_token = new_session_token()
        db.session.commit()
    logout_user()
    session.clear()
