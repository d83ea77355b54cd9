"""Domain errors; contest.errors turns them into 4xx answers with a translated message."""

from __future__ import annotations

import re
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


def failure_reason(error: BaseException, limit: int = 500) -> str:
    """What went wrong in a background job, for the page that reports it: the exception's kind and message, without
    the object addresses some messages carry ("<_io.BytesIO object at 0x7f…>"), at most `limit` characters."""
    return re.sub(r" <[^>]* at 0x[0-9a-f]+>", "", f"{type(error).__name__}: {error}")[:limit]
