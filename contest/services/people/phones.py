"""Vietnamese phone numbers: one number, one form ("0912345678")."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile numbers: 03, 05, 07, 08, 09 and eight digits; fixed lines: 02, a province code, 11 digits in all.
_NATIONAL = re.compile(r"0[35789]\d{8}|02\d{9}")


def normalise_phone(raw: str) -> str | None:
    """The national form of a Vietnamese number, or None when it is not one.

    "0912 345 678", "+84 912 345 678", "84912345678" and "(+84) 912.345.678" are one number.
    """
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    return digits if _NATIONAL.fullmatch(digits) else None
