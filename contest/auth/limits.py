"""Rate limits of the doors into accounts: logging in and registering, by page or by the JSON API."""

from __future__ import annotations

from flask import request
from flask_limiter.util import get_remote_address

from contest.services.people.phones import normalise_phone

# Offices share one address behind NAT: limit per phone tightly, per address loosely.
LOGIN_LIMIT_PER_PHONE = "10 per minute;50 per hour"
LOGIN_LIMIT_PER_ADDRESS = "120 per minute"
REGISTER_LIMIT = "30 per minute;300 per hour"


def phone_key() -> str:
    """The rate-limit key of a login: the phone it tries, however it is written."""
    body = request.get_json(silent=True) if request.is_json else request.form
    raw = body.get("phone") if isinstance(body, dict) or body is request.form else None
    if isinstance(raw, str) and raw.strip():
        return "login-phone:" + (normalise_phone(raw) or raw.strip()[:20])
    return "login-address:" + get_remote_address()
