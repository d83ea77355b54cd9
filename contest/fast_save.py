"""The save of an answer with its attempt token, answered in front of Flask's per-request machinery.

On 10 October most requests are saves. Through Flask a save costs, besides its one SQL statement, the session
cookie's signature check, Flask-Limiter's look at the route, Flask-Talisman's headers, the NUL guard and Flask's
own dispatch (cProfile: about three quarters of the save's CPU). This WSGI middleware, in front of the app like
`contest.liveness`, answers `PUT /api/attempts/<id>/answers/<n>` when it carries `X-Attempt-Token` and the save is
stored, and hands every other request, and every save it does not store, to the app unchanged:

- who may save: the attempt token (`contest.auth.attempt_tokens`, the same check as the app's) and the session
  token compared inside the UPDATE, as in the app; it stands in for the session and the CSRF token there too;
- what is stored: `attempts.store_choice`, the app's own checks of the choice and its one guarded UPDATE;
- the security headers: the ones the app's own after-request hooks (Talisman's) give a JSON answer, asked of the
  app once per process (`json_headers`), with HSTS on https as Talisman decides it;
- the rate limits: none applies to a save (it is exempt in the app as well: bounded by its attempt);
- the NUL guard: a choice is a list of numbers, so a body with anything else is not stored here;
- anything not stored here (no token or a bad one, a refused or unreadable choice, a finished attempt, a database
  error) goes to the app, which does the whole save again and answers as it always has: the save is idempotent.

`tests/api/test_fast_save.py` checks that both ways answer the same, headers included."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from io import BytesIO
from typing import TYPE_CHECKING, Any

from flask import Flask, Response
from sqlalchemy.exc import SQLAlchemyError

from contest import clock, metrics
from contest.auth import attempt_tokens
from contest.extensions import db
from contest.hook_headers import hook_headers, is_secure
from contest.ids import MAX_ID
from contest.services.quiz import attempts
from contest.services.shared.errors import DomainError

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication

SAVE_PATH = re.compile(r"/api/attempts/([0-9]{1,10})/answers/([0-9]{1,10})")
TOKEN_KEY = "HTTP_" + attempt_tokens.HEADER.upper().replace("-", "_")
MAX_BODY = 16 * 1024  # a choice of a few ids; anything larger goes to the app and its limits


def json_headers(app: Flask, *, secure: bool) -> list[tuple[str, str]]:
    """The headers the app's after-request hooks put on a JSON answer to a save (without its length)."""
    answer = Response("{}", mimetype="application/json")
    return hook_headers(app, method="PUT", path="/api/attempts/1/answers/1", secure=secure, response=answer)


class FastSave:
    """WSGI middleware: stored saves answered here, everything else to the app."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.flask_app = app
        self.wsgi_app = wsgi_app
        self._headers: dict[bool, list[tuple[str, str]]] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "PUT" or TOKEN_KEY not in environ:
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        match = SAVE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        body = self._body(environ) if match is not None else None
        answer = self._store(environ, int(match[1]), int(match[2]), body) if match and body is not None else None
        if answer is None:
            return self.wsgi_app(environ, start_response)
        metrics.observe(metrics.SAVE_ENDPOINT, "PUT", 200, time.perf_counter() - started)
        metrics.saved()
        secure = is_secure(environ)
        headers = self._headers.get(secure)
        if headers is None:
            headers = self._headers[secure] = json_headers(self.flask_app, secure=secure)
        start_response("200 OK", [*headers, ("Content-Length", str(len(answer)))])
        return [answer]

    @staticmethod
    def _body(environ: dict[str, Any]) -> bytes | None:
        """The request's body, put back for the app to read if it goes there; None when it is not a small one."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if not 0 < length <= MAX_BODY:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = BytesIO(body)
        return body if len(body) == length else None

    def _store(self, environ: dict[str, Any], attempt_id: int, position: int, body: bytes) -> bytes | None:
        """The answer to a stored save, or None (the app answers)."""
        if attempt_id > MAX_ID or position > MAX_ID:
            return None
        with self.flask_app.app_context():
            now = clock.now()
            claim = attempt_tokens.read(environ[TOKEN_KEY], attempt_id=attempt_id, now=now)
            if claim is None:
                return None
            try:
                options = json.loads(body).get("options")
                chosen = attempts.store_choice(
                    db.engine,
                    user_id=claim.user_id,
                    session_token=claim.session_token,
                    attempt_id=attempt_id,
                    position=position,
                    option_ids=options,
                    now=now,
                )
            except (ValueError, AttributeError, RecursionError, DomainError, SQLAlchemyError):
                return None
            if chosen is None:
                return None
            saved = {"options": chosen, "position": position, "saved_at": clock.iso_utc(now)}
            return json.dumps(saved, separators=(",", ":")).encode() + b"\n"
