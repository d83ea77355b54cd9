"""Difficulty levels as organizers write them ("Dễ", "tb", "hard", "3")."""

from __future__ import annotations

from question_bank.text import header_key

DIFFICULTIES = ("easy", "medium", "hard")
VIETNAMESE_NAMES = {"easy": "Dễ", "medium": "Trung bình", "hard": "Khó"}

_ALIASES = {
    "easy": ("de", "easy", "1", "nb", "nhanbiet"),
    "medium": ("trungbinh", "tb", "medium", "2", "th", "thonghieu"),
    "hard": ("kho", "hard", "3", "vd", "vandung"),
}
_LOOKUP = {alias: level for level, aliases in _ALIASES.items() for alias in aliases}


def parse_difficulty(text: str) -> str | None:
    """'easy', 'medium' or 'hard', or None when the text names no known level."""
    return _LOOKUP.get(header_key(text))
