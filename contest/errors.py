"""Error pages and JSON errors: every refusal is a 4xx with a message in the user's language."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from contest.services.errors import DomainError, InvalidInput


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


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> ResponseReturnValue:
        extra = {"fields": error.fields} if isinstance(error, InvalidInput) else {}
        return error_response(error.status, error.code, str(error.message), **extra)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return error_response(
            400, "csrf", _("Your session has expired or the form is stale. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        return error_response(code, error.name.lower().replace(" ", "_"), _http_message(error))

    @app.errorhandler(500)
    def server_error(error: Exception) -> ResponseReturnValue:
        return error_response(500, "server_error", _("Something went wrong. Please try again."))
