"""Sharing a contest (#18 item 4): Open Graph tags with a generated image card, a poster QR code as PNG and SVG, and
the live counter a unit's portal embeds (framable, cached, the unit's rate as the boards count it)."""

from __future__ import annotations

import io
import re

from PIL import Image

from tests.helpers import csrf_token


def test_the_contest_page_carries_open_graph_tags_with_an_image_card(runner, client) -> None:
    runner.invoke(args=["demo"])
    page = client.get("/contests/cds-2026").get_data(as_text=True)
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert image == "http://localhost/contests/cds-2026/card.png"  # absolute, as Zalo and Facebook need
    assert '<meta property="og:title" content="Cuộc thi trực tuyến tìm hiểu' in page
    description = re.search(r'<meta property="og:description" content="([^"]*)">', page).group(1)
    assert description.startswith("Cuộc thi dành cho") and "<" not in description and len(description) <= 200
    card = client.get("/contests/cds-2026/card.png")
    assert card.mimetype == "image/png" and Image.open(io.BytesIO(card.data)).size == (1200, 630)
    assert "max-age=3600" in card.headers["Cache-Control"]


def test_the_poster_qr_code_comes_as_png_and_svg_of_the_contest_address(runner, client, app) -> None:
    runner.invoke(args=["demo"])
    svg = client.get("/contests/cds-2026/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get("/contests/cds-2026/qr.png")
    width, height = Image.open(io.BytesIO(png.data)).size
    assert png.mimetype == "image/png" and width == height >= 400  # large enough to print
    assert client.get("/contests/nope/qr.png").status_code == 404
    assert client.get("/contests/cds-2026/qr.gif").status_code == 404
    import segno

    expected = io.BytesIO()
    segno.make("http://localhost/contests/cds-2026", error="m").save(expected, kind="png", scale=16, border=4)
    assert png.data == expected.getvalue()  # it encodes the contest's address, nothing else


def test_the_live_counter_can_be_framed_anywhere_and_shows_a_units_rate(runner, client) -> None:
    runner.invoke(args=["demo"])
    widget = client.get("/contests/cds-2026/widget?unit=HBX-SKHCN")
    text = widget.get_data(as_text=True)
    assert widget.status_code == 200 and "X-Frame-Options" not in widget.headers
    assert "frame-ancestors *" in widget.headers["Content-Security-Policy"]
    assert "người tham gia" in text and "Sở Khoa học và Công nghệ" in text and "Set-Cookie" not in widget.headers
    assert client.get("/contests/cds-2026").headers["X-Frame-Options"] == "SAMEORIGIN"  # other pages are not
    assert client.get("/contests/cds-2026/widget?unit=NOPE").status_code == 404
    assert client.get("/contests/cds-2026/widget?unit=" + "X" * 500).status_code == 404


def test_organizers_find_the_qr_codes_and_the_embed_code(runner, client) -> None:
    runner.invoke(args=["demo"])
    client.post("/login", data={"phone": "0900000001", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    page = client.get("/admin/contests").get_data(as_text=True)
    assert "/contests/cds-2026/qr.png" in page and "/contests/cds-2026/qr.svg" in page
    assert 'data-contest="cds-2026"' in page and "static/js/embed.js" in page
