"""Error pages and JSON errors: every refusal is a 4xx with a message in the user's language."""

from __future__ import annotations

import contextlib
import time

import redis
from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as database_errors
from werkzeug.exceptions import HTTPException

from contest.services.shared.errors import DomainError, InvalidInput


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, **extra: object) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify({"error": code, "message": message, **extra}), status
    return render_template("errors/error.html", status=status, message=message), status


def _http_message(error: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in to continue."),
        403: _("You do not have permission to do this."),
        404: _("The page you are looking for does not exist."),
        405: _("This action is not allowed here."),
        413: _("The file is too large."),
        429: _("Too many requests. Please wait a moment and try again."),
    }
    return messages.get(error.code or 500, _("Something went wrong. Please try again."))


RETRY_AFTER_S = 5
# A part the request needs does not answer (a database restarting, a connection cut, a full pool, Redis gone where
# it is needed): the request is refused whole and can be sent again.
UNAVAILABLE = (
    database_errors.OperationalError,
    database_errors.InterfaceError,
    database_errors.TimeoutError,
    redis.ConnectionError,
    redis.TimeoutError,
)


def unavailable_response(error: Exception) -> ResponseReturnValue:
    """503 with Retry-After, in the user's language; the page reads nothing from the database."""
    from contest.extensions import db

    g._login_user = AnonymousUserMixin()  # templates get a visitor: loading the account needs the database
    current_app.logger.warning("503 for %s %s: %s", request.method, request.path, str(error).splitlines()[0][:300])
    with contextlib.suppress(Exception):
        db.session.rollback()
    message = _("The service is busy or restarting. Please try again in a few seconds.")
    headers = {"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store"}
    if wants_json():
        return jsonify({"error": "unavailable", "message": message, "retry_after": RETRY_AFTER_S}), 503, headers
    return render_template("errors/unavailable.html", message=message), 503, headers


def _seconds_to_wait() -> int:
    """Until the window of the limit that refused the request ends."""
    from contest.extensions import limiter

    refused = limiter.current_limit
    return max(1, int(refused.reset_at - time.time())) if refused is not None else 60


def _remove_session(_error: BaseException | None) -> None:
    """End the request's database session without letting a connection that went away (a database restarted, a
    connection cut) turn the answer already made, a 503 or a committed save's 200, into a 500: Flask-SQLAlchemy's
    own teardown would ROLLBACK on the dead connection and raise after the error handlers have run. Registered
    after it, this runs first; its session is then already removed."""
    from contest.extensions import db

    try:
        db.session.remove()
    except (database_errors.DBAPIError, database_errors.SQLAlchemyError) as lost:
        current_app.logger.warning("database connection lost at the end of a request: %s", str(lost).splitlines()[0])
        with contextlib.suppress(Exception):
            db.session.registry().invalidate()  # the connection is dropped from the pool, never rolled back again
        db.session.registry.clear()


def init_app(app: Flask) -> None:
    for kind in UNAVAILABLE:
        app.register_error_handler(kind, unavailable_response)
    app.teardown_appcontext(_remove_session)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> ResponseReturnValue:
        extra = {"fields": error.fields} if isinstance(error, InvalidInput) else {}
        body, status = error_response(error.status, error.code, str(error.message), **extra)
        if status == 503:  # try again: the quiz page sends it again after a moment
            return body, status, {"Retry-After": "1", "Cache-Control": "no-store"}
        return body, status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return error_response(
            400, "csrf", _("Your session has expired or the form is stale. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if code == 429 and request.endpoint == "auth.login" and not wants_json():
            from contest.auth.routes import lockout_page

            return lockout_page()
        body, status = error_response(code, error.name.lower().replace(" ", "_"), _http_message(error))
        if code == 429:
            return body, status, {"Retry-After": str(_seconds_to_wait())}
        return body, status

    @app.errorhandler(RecursionError)
    def nested_too_deep(error: RecursionError) -> ResponseReturnValue:
        """A JSON body nested thousands deep ([[[[...) is more than the reader takes: bad input, not a fault."""
        return error_response(400, "bad_request", _("The data sent is nested too deeply to be read."))

    @app.errorhandler(500)
    def server_error(error: Exception) -> ResponseReturnValue:
        return error_response(500, "server_error", _("Something went wrong. Please try again."))
