"""Organizer-written rich text (contest rules): a small safe subset of HTML, nothing that runs."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h3", "h4", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def clean_html(text: str) -> str:
    return nh3.clean(
        text or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"}
    )
