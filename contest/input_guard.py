"""Input refused before it reaches a view.

Text the database cannot store: PostgreSQL refuses the NUL character in any text, so a request that
carries one in its query, form fields or JSON is refused whole, with a message. (Uploaded files are read by
their own readers.) And a JSON body sent to a page: pages take forms (Flask-WTF would read a JSON body as the
form, and a body that is not an object as nothing it can read); JSON goes to /api/."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from contest.errors import error_response

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any("\x00" in value for _name, values in pairs for value in values)


def carries_nul() -> bool:
    if "\x00" in request.path or _holds_nul(request.args.lists()):
        return True
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in FORM_TYPES:
        return _holds_nul(request.form.lists())
    return request.is_json and b"\\u0000" in request.get_data(cache=True)


WRITES = ("POST", "PUT", "PATCH", "DELETE")


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul() -> ResponseReturnValue | None:
        if request.method in WRITES and request.is_json and not request.path.startswith("/api/"):
            return error_response(415, "unsupported_media_type", _("This page takes a form, not JSON."))
        if carries_nul():
            return error_response(
                400, "nul_character", _("The text holds an invisible control character (NUL): remove it and try again.")
            )
        return None
