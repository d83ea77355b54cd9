"""Role checks for routes (anonymous users are sent to log in, others without the role get 403), and who and
where a request comes from as the services record it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort, request
from flask_login import current_user, login_required

from contest.services.people.origins import ClientOrigin
from contest.services.shared.audit import Actor

F = TypeVar("F", bound=Callable[..., Any])

ORGANIZER_ROLES = ("organizer", "admin")


def roles_required(*roles: str) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @functools.wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorator


organizer_required = roles_required(*ORGANIZER_ROLES)


def current_origin() -> ClientOrigin:
    """Where this request comes from, as the integrity flags compare registrations and attempts."""
    return ClientOrigin.of(request.remote_addr, request.headers.get("User-Agent", ""))


def current_actor() -> Actor:
    """The logged-in account as the audit log records it."""
    return Actor.account(current_user)
