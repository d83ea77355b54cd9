"""Domain errors; contest.errors turns them into 4xx answers with a translated message."""

from __future__ import annotations

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
