"""How Flask-Login finds the user behind a session cookie."""

from __future__ import annotations

from flask import Flask
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from contest.extensions import db, login_manager
from contest.models import User


def load_user(user_id: str) -> User | None:
    """The cookie holds "id:session_token"; a changed token (new password) ends old sessions."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdecimal() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    return user if user is not None and user.accepts_session(token) else None


def session_credentials() -> tuple[int, str] | None:
    """The user id and session token the session cookie claims, without loading the user (the hot API
    paths check them in their own query); a visitor known only by the remember-me cookie is loaded."""
    from flask import session
    from flask_login import current_user

    raw_id, _, token = str(session.get("_user_id") or "").partition(":")
    if raw_id.isdecimal() and token:
        return int(raw_id), token
    if current_user.is_authenticated:
        return current_user.id, current_user.session_token
    return None


def unauthorized() -> ResponseReturnValue:
    """API calls get a 401 in JSON; pages send the visitor to the login page and back."""
    from flask import redirect, request, url_for

    from contest.errors import error_response, wants_json

    if wants_json():
        return error_response(401, "unauthorized", str(_l("Please log in to continue.")))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.session_protection = "basic"
