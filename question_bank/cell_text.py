"""A spreadsheet cell as the text the organizer sees in Excel: numbers in the formats organizers use, written the
Vietnamese way (1.000, 2,5, 100%), dates as dd/mm/yyyy; bold, italic, underline, subscript and superscript runs
inside a cell as the few tags a question may carry. A number in any other format cannot be shown with certainty
and is reported, asking for the value as text."""

from __future__ import annotations

import html
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from typing import Literal

from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from question_bank.text import clean

GENERAL = "general"
# format code (lower case, without the escapes Excel adds) -> (decimals, thousands separator, percent)
_NUMBER_FORMATS: dict[str, tuple[int, bool, bool]] = {
    "0": (0, False, False),
    "0.0": (1, False, False),
    "0.00": (2, False, False),
    "#,##0": (0, True, False),
    "#,##0.0": (1, True, False),
    "#,##0.00": (2, True, False),
    "0%": (0, False, True),
    "0.0%": (1, False, True),
    "0.00%": (2, False, True),
}


class UnclearNumber(ValueError):
    """A number cell whose format code this reader cannot show as Excel does."""

    def __init__(self, number_format: str) -> None:
        super().__init__(number_format)
        self.number_format = number_format


def _vietnamese(value: Decimal, decimals: int, thousands: bool) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}" if thousands else f"{rounded:.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _general(value: float | int) -> str:
    """What Excel's General format shows: up to 10 significant digits, no trailing zeros."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{Decimal(repr(float(value))):.10g}"
    if "e" in text or "E" in text:
        raise UnclearNumber("General")
    return text.replace(".", ",")


def shown_number(value: float | int, number_format: str | None) -> str:
    code = (number_format or "General").strip()
    key = code.lower().replace("\\", "").replace('"', "")
    if key in (GENERAL, "@"):
        return _general(value)
    if key not in _NUMBER_FORMATS:
        raise UnclearNumber(code)
    decimals, thousands, percent = _NUMBER_FORMATS[key]
    number = Decimal(repr(float(value)))
    if percent:
        return _vietnamese(number * 100, decimals, thousands) + "%"
    return _vietnamese(number, decimals, thousands)


def shown_text(value: object, number_format: str | None) -> str:
    """A cell's value as the organizer sees it (plain text; rich text as HTML, see rich_html)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        return shown_number(value, number_format)
    if isinstance(value, CellRichText):
        return clean(str(value))
    return clean(str(value))


_RUN_TAGS = (("b", "b"), ("i", "i"), ("u", "u"))


def rich_html(value: CellRichText) -> str | None:
    """A cell of several runs as escaped text with <b>, <i>, <u>, <sub>, <sup> where Excel formats a run so; None
    when no run is formatted (the cell is plain text)."""
    parts: list[str] = []
    formatted = False
    for block in value:
        if isinstance(block, TextBlock):
            text, font = block.text, block.font
        else:
            text, font = str(block), None
        piece = html.escape(text, quote=False)
        if font is not None and piece.strip():
            tags = [tag for attribute, tag in _RUN_TAGS if getattr(font, attribute, None) not in (None, False, "none")]
            vertical = getattr(font, "vertAlign", None)
            if vertical in ("superscript", "subscript"):
                tags.append("sup" if vertical == "superscript" else "sub")
            for tag in tags:
                piece = f"<{tag}>{piece}</{tag}>"
            formatted = formatted or bool(tags)
        parts.append(piece)
    return clean("".join(parts)) if formatted else None


_TAG_NAMES = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "sub": "sub", "sup": "sup"}


class _Runs(HTMLParser):
    """The few tags a question carries, as runs of text each with its set of formats."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.runs: list[tuple[frozenset[str], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_data("\n")
        elif tag in _TAG_NAMES:
            self.open.append(_TAG_NAMES[tag])

    def handle_endtag(self, tag: str) -> None:
        name = _TAG_NAMES.get(tag)
        if name in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(name)]

    def handle_data(self, data: str) -> None:
        formats = frozenset(self.open)
        if self.runs and self.runs[-1][0] == formats:
            self.runs[-1] = (formats, self.runs[-1][1] + data)
        else:
            self.runs.append((formats, data))


def as_cell(stored: str) -> str | CellRichText:
    """A stored text (HTML) as a spreadsheet cell that reads back to it: plain text, or runs in bold, italic,
    underline, subscript and superscript where the text carries those tags."""
    if "<" not in stored:
        return html.unescape(stored)
    parser = _Runs()
    parser.feed(stored)
    parser.close()
    if all(not formats for formats, _ in parser.runs):
        return "".join(text for _, text in parser.runs)
    blocks: list[str | TextBlock] = []
    for formats, text in parser.runs:
        if not formats:
            blocks.append(text)
            continue
        vertical: Literal["superscript", "subscript"] | None = (
            "superscript" if "sup" in formats else "subscript" if "sub" in formats else None
        )
        font = InlineFont(
            b="b" in formats or None,
            i="i" in formats or None,
            u="single" if "u" in formats else None,
            vertAlign=vertical,
        )
        blocks.append(TextBlock(font, text))
    return CellRichText(blocks)
