"""Who and where a request comes from, as the services record it. The rights of routes are contest.auth.scope's."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from contest.services.people.origins import ClientOrigin
from contest.services.shared.audit import Actor


def current_origin() -> ClientOrigin:
    """Where this request comes from, as the integrity flags compare registrations and attempts."""
    return ClientOrigin.of(request.remote_addr, request.headers.get("User-Agent", ""))


def current_actor() -> Actor:
    """The logged-in account as the audit log records it."""
    return Actor.account(current_user)
