"""Rate limits of the doors into accounts: logging in (page and JSON API share the counters) and registering.

Only failed logins count, keyed by the phone tried and the address trying it together: a stranger guessing an
organizer's password from elsewhere cannot lock the organizer out, and a person typing their own password
right does not use up tries. A looser count per phone from any address slows a guess spread over many addresses."""

from __future__ import annotations

import time

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address

from contest.extensions import limiter
from contest.services.people.phones import normalise_phone

LOGIN_FAILURES_PER_PHONE_AND_ADDRESS = "10 per minute;50 per hour"
LOGIN_FAILURES_PER_PHONE = "300 per hour"
REGISTER_LIMIT = "30 per minute;300 per hour"


def _phone_tried() -> str:
    body = request.get_json(silent=True) if request.is_json else request.form
    raw = body.get("phone") if isinstance(body, dict) or body is request.form else None
    if isinstance(raw, str) and raw.strip():
        return normalise_phone(raw) or raw.strip()[:20]
    return "-"


def phone_key() -> str:
    """The phone a login tries, however it is written."""
    return "login-phone:" + _phone_tried()


def phone_and_address_key() -> str:
    return f"login:{_phone_tried()}:{get_remote_address()}"


def failed(response: Response) -> bool:
    """A refused login: the page answers 400, the API 401 (a success redirects or answers 200)."""
    return response.status_code in (400, 401)


# Each is one counter for both doors (/login and POST /api/session), whichever is used.
login_failures = limiter.shared_limit(
    LOGIN_FAILURES_PER_PHONE_AND_ADDRESS,
    scope="login-failures",
    key_func=phone_and_address_key,
    deduct_when=failed,
    methods=["POST"],
)
login_failures_per_phone = limiter.shared_limit(
    LOGIN_FAILURES_PER_PHONE, scope="login-phone-failures", key_func=phone_key, deduct_when=failed, methods=["POST"]
)


def _login_tries_per_address() -> str:
    return str(current_app.config["LOGIN_TRIES_PER_ADDRESS"])


# by address, whoever is signed in on it (the limiter's own key counts a signed-in account instead)
login_tries = limiter.shared_limit(
    _login_tries_per_address, scope="login-tries", key_func=get_remote_address, methods=["POST"]
)
register_limit = limiter.shared_limit(REGISTER_LIMIT, scope="register", key_func=get_remote_address, methods=["POST"])


WARN_WHEN_LEFT = 2  # tries left before the lockout a person meets by mistyping


def failures_left_after_this_one() -> int | None:
    """After a failed login, how many more failures the phone may have from this address before it is locked out
    (the limit a person meets by mistyping their own password); None when nothing counts here."""
    left = [limit.remaining for limit in limiter.current_limits if "login-failures" in limit.key]
    return max(0, min(left) - 1) if left else None


def minutes_locked() -> int:
    """How long the login that was just refused for too many failures stays refused, in whole minutes (at least 1)."""
    refused = limiter.current_limit
    seconds = max(1, int(refused.reset_at - time.time())) if refused is not None else 60
    return max(1, -(-seconds // 60))
