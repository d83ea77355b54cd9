"""Question text is plain text or a small safe subset of HTML: nothing in a file can run script."""

from __future__ import annotations

import html

import nh3

# Enough for emphasis, formulas and line breaks; no links, images, styles or scripts.
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "sub", "sup", "br"}


def clean_question_html(text: str) -> str:
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, strip_comments=True, link_rel=None)


def as_typed(stored: str) -> str:
    """The text as an organizer would type it in a spreadsheet: entities of plain text undone."""
    return stored if "<" in stored else html.unescape(stored)
