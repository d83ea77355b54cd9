"""How Flask-Login finds the user behind a session cookie."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from contest.extensions import db, login_manager
from contest.models import User


def load_user(user_id: str) -> User | None:
    """The cookie holds "id:session_token"; a changed token (new password) ends old sessions."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token or not user.is_active:
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "public.index"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.session_protection = "basic"
