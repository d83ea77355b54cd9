"""Spreading a contest: a poster QR code of its address (PNG, SVG), the image card that Zalo and Facebook show
with a shared link (Open Graph), and the figures of the live counter a unit's portal embeds."""

from __future__ import annotations

import io
from typing import Any

import segno
from cachetools import LRUCache
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from contest import clock
from contest.models import Contest, Unit
from contest.public_address import absolute
from contest.services.ranking.leaderboard import unit_ranking
from contest.services.ranking.live_counts import contest_counts, featured_round
from contest.services.results.pdf import FONTS
from contest.services.shared.cache import cached
from contest.services.shared.rich_text import plain_text

CARD_SIZE = (1200, 630)  # what Facebook and Zalo show in full
WIDGET_TTL_S = 10.0
_cards: LRUCache[str, bytes] = LRUCache(maxsize=32)


def contest_address(contest: Contest) -> str:
    return absolute(f"/contests/{contest.slug}")


def qr(contest: Contest, kind: str) -> bytes:
    """The contest's address as a QR code for posters: SVG (scales to any print size) or a large PNG."""
    code = segno.make(contest_address(contest), error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=10, border=4, title=contest.title)
    else:
        code.save(buffer, kind="png", scale=16, border=4)
    return buffer.getvalue()


def _dates(contest: Contest) -> str:
    rounds = contest.rounds
    if not rounds:
        return ""
    first = clock.to_vietnam(min(r.opens_at for r in rounds))
    last = clock.to_vietnam(max(r.closes_at for r in rounds))
    return f"Từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}"


def card(contest: Contest) -> bytes:
    """A 1200 x 630 PNG: the contest's title, its dates and address, in the shipped font; drawn once per content."""
    dates, address = _dates(contest), contest_address(contest)
    key = "\0".join((contest.title, dates, address))
    if key in _cards:
        return _cards[key]
    image = Image.new("RGB", CARD_SIZE, (6, 41, 77))
    draw = ImageDraw.Draw(image)
    plain = ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), 34)
    small = ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), 28)
    draw.rectangle((0, 0, CARD_SIZE[0], 14), fill=(218, 37, 29))
    draw.text((70, 60), "CUỘC THI TRỰC TUYẾN", font=small, fill=(255, 211, 77))
    size, lines = 56, []
    while size >= 34:  # the largest type that fits the title in four lines of the card's width
        bold = ImageFont.truetype(str(FONTS / "DejaVuSerif-Bold.ttf"), size)
        lines = _lines(contest.title, bold, CARD_SIZE[0] - 140)
        if len(lines) <= 4:
            break
        size -= 4
    y = 120
    for line in lines[:4]:
        draw.text((70, y), line, font=bold, fill=(255, 255, 255))
        y += int(size * 1.3)
    if dates:
        draw.text((70, y + 20), dates, font=plain, fill=(207, 227, 255))
    draw.text((70, CARD_SIZE[1] - 80), address, font=small, fill=(207, 227, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    _cards[key] = buffer.getvalue()
    return _cards[key]


def _lines(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words in lines no wider than `width` pixels in `font`."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def description(contest: Contest, limit: int = 200) -> str:
    """The first words of the rules, as plain text, for link previews."""
    text = plain_text(contest.rules)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def widget_data(session: Session, contest: Contest, unit: Unit | None) -> dict[str, Any]:
    """The live counter's figures, shared a few seconds between every portal that shows it: the contest's
    participants, and the unit's participation rate in the round on now (as the public boards count it)."""

    def compute() -> dict[str, Any]:
        counts = contest_counts(session, contest)
        data: dict[str, Any] = {"participants": counts["participants"], "attempts": counts["attempts"], "unit": None}
        round_ = featured_round(contest)
        if unit is not None and round_ is not None and not round_.board_hidden:
            rows = unit_ranking(session, round_, unit.parent.code if unit.parent else None)
            row = next((r for r in rows if r.code == unit.code), None)
            if row is not None:
                data["unit"] = {"name": row.name, "participants": row.participants, "rate": row.rate}
        data["round"] = round_.name if round_ is not None else None
        return data

    result: dict[str, Any] = cached(f"contest:{contest.slug}:widget:{unit.code if unit else ''}", WIDGET_TTL_S, compute)
    return result
