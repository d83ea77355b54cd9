"""Organizer-written rich text (contest rules): a small safe subset of HTML, nothing that runs.

Organizers who do not write HTML type plain text: a blank line starts a paragraph, a line break is kept,
and lines starting with "- " or "• " make a list."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h3", "h4", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
BULLET = re.compile(r"^\s*[-•]\s+")


def clean_html(text: str) -> str:
    text = (text or "").strip()
    if text and not TAG.search(text):
        text = plain_to_html(text)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


def plain_to_html(text: str) -> str:
    """Paragraphs at blank lines, <br> at line breaks, a list for lines that start with a bullet."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and all(BULLET.match(line) for line in lines):
            items = "".join(f"<li>{html.escape(BULLET.sub('', line))}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return "".join(blocks)


def plain_text(html_text: str) -> str:
    """The words of cleaned HTML without its tags (for link previews), spaces collapsed."""
    return " ".join(html.unescape(nh3.clean(html_text.replace("<", " <"), tags=set())).split())
