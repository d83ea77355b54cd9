"""Who may open which organizer page: every organizer route names the right it needs (`staff_required`), and the
objects its address names (a contest's slug, a round, a bank, a question, an upload, an attempt, a body) are looked
up to their organizing body before the view runs. A person without the right in that body gets 404, as for an
object that does not exist: another body's work is not told. Lists read `current_access()` to show only the
person's bodies. `tests/views/test_body_scope.py` opens every organizer route as a member of another body."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from contest.extensions import db
from contest.models import Attempt, BankUpload, Body, Contest, Question, QuestionBank, Round
from contest.services.bodies.access import NOBODY, Access, Right, access_of

F = TypeVar("F", bound=Callable[..., Any])

# How an address's argument leads to the organizing body that owns what it names.
_BODY_OF: dict[str, Callable[[Any], Select[Any]]] = {
    "slug": lambda slug: select(Contest.body_id).where(Contest.slug == slug),
    "round_id": lambda id_: select(Contest.body_id).join(Round).where(Round.id == id_),
    "bank_id": lambda id_: select(QuestionBank.body_id).where(QuestionBank.id == id_),
    "question_id": lambda id_: select(QuestionBank.body_id).join(Question).where(Question.id == id_),
    "upload_id": lambda id_: select(BankUpload.body_id).where(BankUpload.id == id_),
    "attempt_id": lambda id_: select(Contest.body_id).join(Round).join(Attempt).where(Attempt.id == id_),
    "body_id": lambda id_: select(Body.id).where(Body.id == id_),
}
# Arguments naming what belongs to the whole platform (people, units): the right is needed in some body.
PLATFORM_ARGUMENTS = frozenset({"user_id", "code"})


def current_access() -> Access:
    """The signed-in person's roles by body, read once per request."""
    if not current_user.is_authenticated:
        return NOBODY
    if "access" not in g:
        g.access = access_of(db.session(), current_user)
    access: Access = g.access
    return access


def body_of(argument: str, value: Any) -> int | None:
    """The body owning what `argument=value` names; None when nothing has that value."""
    if argument not in _BODY_OF:
        raise LookupError(f"the route argument {argument!r} has no rule saying which body owns it (contest.auth.scope)")
    found: int | None = db.session.scalar(_BODY_OF[argument](value))
    return found


def check_scope(right: Right, view_args: dict[str, Any]) -> None:
    access = current_access()
    if not current_user.is_organizer:
        abort(403)
    named = {key: value for key, value in view_args.items() if key not in PLATFORM_ARGUMENTS}
    if not named:
        if not access.can_anywhere(right):
            abort(403)
        return
    for argument, value in named.items():
        body_id = body_of(argument, value)
        if body_id is None or not access.can(right, body_id):
            abort(404)


def staff_required(right: Right) -> Callable[[F], F]:
    """The route needs `right` in the body of every object its address names (404 otherwise), or in some body
    for a page naming none (403 otherwise)."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check_scope(right, kwargs)
            return view(*args, **kwargs)

        wrapper.required_right = right  # type: ignore[attr-defined]  # read by the scope sweep test
        return cast(F, wrapper)

    return decorator


def unit_area_required(staff_right: Right) -> Callable[[F], F]:
    """A route of the unit area (/unit/): unit administrators reach it for their unit; a body's staff (and the
    platform administrator) need `staff_right` in some body, as the organizer area would ask (403 otherwise)."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role != "unit_admin" and not (
                current_user.is_organizer and current_access().can_anywhere(staff_right)
            ):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_right = staff_right  # type: ignore[attr-defined]  # read by the scope sweep test
        return cast(F, wrapper)

    return decorator


def can(right: Right | str, body_id: int | None = None) -> bool:
    """Whether the signed-in person has the right in the body (in some body when none is named: the organizer
    area's links, as templates ask it by `staff_can("banks")`)."""
    access = current_access()
    return access.can_anywhere(Right(right)) if body_id is None else access.can(Right(right), body_id)
