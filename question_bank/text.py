"""Text normalisation shared by readers and validation."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean(value: str | None) -> str:
    """NFC, trimmed, inner runs of spaces kept as typed except line breaks normalised; NUL characters (no
    text means them, and databases refuse them) dropped."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value).replace("\x00", "")).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").strip()


def comparable(value: str) -> str:
    """The form two texts are compared in for duplicates: NFC, collapsed whitespace, casefolded."""
    return _SPACES.sub(" ", clean(value)).casefold()


def without_accents(value: str | None) -> str:
    """Vietnamese without its marks, lower case, single spaces ("Sở Y tế" -> "so y te")."""
    text = unicodedata.normalize("NFD", clean(value)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text).casefold()


def header_key(value: str | None) -> str:
    """A header as matched: no accents, no case, no spaces ("Phương án A" -> "phuongana")."""
    return re.sub(r"[\s_\-.]+", "", without_accents(value))
