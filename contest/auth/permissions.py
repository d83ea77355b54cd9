"""Role checks for routes: anonymous users are sent to log in, others without the role get 403."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from contest.services.console.audit import Actor

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


def current_actor() -> Actor:
    """The logged-in account as the audit log records it."""
    return Actor.account(current_user)
