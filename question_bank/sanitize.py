"""Question text is plain text or a small safe subset of HTML: nothing in a file can run script."""

from __future__ import annotations

import html
import re

import nh3

# Enough for emphasis, formulas and line breaks; no links, images, styles or scripts.
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "sub", "sup", "br"}


def clean_question_html(text: str) -> str:
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, strip_comments=True, link_rel=None)


def as_typed(stored: str) -> str:
    """The text as an organizer would type it in a spreadsheet: entities of plain text undone."""
    return stored if "<" in stored else html.unescape(stored)


_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|tr|blockquote|pre|ul|ol|table)\s*>", re.IGNORECASE)
_TRAILING_BREAK = re.compile(r"<br\s*/?>\Z", re.IGNORECASE)


def html_paragraphs(text: str) -> str:
    """HTML whose paragraphs (and list items, headings, ...) stay apart once their tags are removed: each one's end
    becomes a line break (trailing breaks dropped one at a time: linear, whatever the text)."""
    marked = _BLOCK_END.sub("<br>", text.strip()).rstrip()
    while (found := _TRAILING_BREAK.search(marked)) is not None:
        marked = marked[: found.start()].rstrip()
    return marked


def as_stored(typed: str, formatted: bool) -> str:
    """What an organizer typed in an edit form, stored as the text's own kind: plain text escaped (a "<" stays a
    "<"), or, for a text that carries formatting (its stored form has tags), HTML reduced to the safe subset."""
    return clean_question_html(typed) if formatted else html.escape(typed, quote=False)
