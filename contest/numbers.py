"""Whole numbers typed by people (forms, files, JSON text), read in one place.

`str.isdigit()` accepts "²", which `int()` refuses, and `int()` refuses text of more than 4,300 digits:
both were server errors. A number here is decimal digits only, at most MAX_DIGITS of them; each caller
then checks its own range."""

from __future__ import annotations

MAX_DIGITS = 18  # beyond every count and id the app keeps, within a 64-bit integer


def whole_number(text: str) -> int | None:
    """The number `text` holds (spaces around allowed), or None."""
    text = text.strip()
    return int(text) if text.isdecimal() and len(text) <= MAX_DIGITS else None
