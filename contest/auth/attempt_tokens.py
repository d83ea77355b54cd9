"""The attempt token: what the quiz page sends in `X-Attempt-Token` with its saves, absences and submission.

It is signed with the app's SECRET_KEY (itsdangerous, its own salt) and names the attempt, the account, the
account's session token (the one a logout or a new password replaces) and the moment the attempt stops taking
answers (its deadline and the grace). A request that carries it is authenticated by it alone: the Flask session
is not read, the user is not loaded, and the CSRF token is not asked for, because a browser never sends a custom
header to another site's address without a CORS preflight, which this app does not answer (docs/attempt-token.md
gives the whole argument). A request without it goes the cookie-and-CSRF way, as before.

What a token cannot do: open another attempt (the id is in the signed part and checked against the address),
outlive its attempt's deadline, or outlive the login it was given to (the save's SQL and `accepts_session`
compare the session token with the account's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from contest.models import Attempt, User
from contest.models.attempts import ANSWER_GRACE

HEADER = "X-Attempt-Token"
SALT = "contest.attempt-token"


@dataclass(frozen=True)
class AttemptClaim:
    """Who a valid token speaks for."""

    attempt_id: int
    user_id: int
    session_token: str


def _serializer() -> URLSafeSerializer:
    found = current_app.extensions.get("attempt_token_serializer")
    if found is None:
        found = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)
        current_app.extensions["attempt_token_serializer"] = found
    return found


def issue(*, attempt_id: int, user_id: int, session_token: str, deadline: datetime) -> str:
    """The token of one attempt for the account logged in with `session_token`."""
    expires = int((deadline + ANSWER_GRACE).timestamp()) + 1
    return _serializer().dumps([attempt_id, user_id, session_token, expires])


def for_attempt(attempt: Attempt, user: User) -> str:
    """The token the quiz page sends with its saves, absences and submission."""
    return issue(attempt_id=attempt.id, user_id=user.id, session_token=user.session_token, deadline=attempt.deadline)


def read(raw: str, *, attempt_id: int, now: datetime) -> AttemptClaim | None:
    """The claim of a token for the attempt the address names, or None: forged, altered, another attempt's, expired."""
    if len(raw) > 500:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 4):
        return None
    claimed_attempt, user_id, session_token, expires = data
    if not (isinstance(claimed_attempt, int) and isinstance(user_id, int) and isinstance(expires, int)):
        return None
    if claimed_attempt != attempt_id or not isinstance(session_token, str) or not session_token:
        return None
    if now.astimezone(UTC).timestamp() > expires:
        return None
    return AttemptClaim(attempt_id=claimed_attempt, user_id=user_id, session_token=session_token)


def presented() -> str | None:
    """The token this request carries, if any (an empty header counts as none)."""
    return request.headers.get(HEADER) or None
