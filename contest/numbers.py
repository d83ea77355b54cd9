"""Numbers read from people and shown to them. Whole numbers typed by people (forms, files, JSON text) are read
in one place; rates and percentages are rounded by one rule.

`str.isdigit()` accepts "²", which `int()` refuses, and `int()` refuses text of more than 4,300 digits:
both were server errors. A number here is decimal digits only, at most MAX_DIGITS of them; each caller
then checks its own range."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MAX_DIGITS = 18  # beyond every count and id the app keeps, within a 64-bit integer


def whole_number(text: str) -> int | None:
    """The number `text` holds (spaces around allowed), or None."""
    text = text.strip()
    return int(text) if text.isdecimal() and len(text) <= MAX_DIGITS else None


def rate_permille(part: int, whole: int) -> int:
    """A participation rate as every page shows it, in tenths of a percent, rounded half up (43.5 -> 44, so
    87 of 2,000 is 4,4 %): the one rounding rule of rates, computed from the counts in whole numbers so that the
    pages (Babel), the big screen (JavaScript) and the workbooks never disagree. 0 when `whole` is 0."""
    if whole <= 0:
        return 0
    return (part * 2000 + whole) // (2 * whole)


def percent_value(share: float, digits: int = 1) -> float:
    """A share (0..1) in percent to `digits` decimals, rounded half up from its decimal value (0.0435 -> 4.4):
    the same rule as rate_permille, for every page, chart and workbook that shows a percentage."""
    exact = Decimal(repr(float(share))) * 100
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
