"""Domain errors; contest.errors turns them into 4xx answers with a translated message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class DomainError(Exception):
    """A rule of the domain said no. `message` is shown to the user (translatable)."""

    status = 409
    code = "conflict"

    def __init__(self, message: Any, **details: Any) -> None:
        super().__init__(str(message))
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    status = 400
    code = "invalid"

    def __init__(self, message: Any, fields: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Refusals:
    """Several checks of one form, each of which may refuse (InvalidInput): every refusal is collected, then raised
    together, each field with its own message, so a form shows all its problems at once.

        refusals = Refusals()
        with refusals.check():
            check_title(...)
        with refusals.check():
            check_scope(...)
        refusals.raise_any()
    """

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.messages: list[str] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except InvalidInput as error:
            self.messages.append(str(error.message))
            for name in error.fields or {"": None}:
                self.fields.setdefault(name, str(error.message))

    def raise_any(self) -> None:
        if self.messages:
            raise InvalidInput(" ".join(self.messages), self.fields)


def failure_reason(error: BaseException, limit: int = 500) -> str:
    """What went wrong in a background job, for the page that reports it: the exception's kind and message, without
    the object addresses some messages carry ("<_io.BytesIO object at 0x7f…>"), at most `limit` characters."""
    return re.sub(r" <[^>]* at 0x[0-9a-f]+>", "", f"{type(error).__name__}: {error}")[:limit]
