"""PDF pages with fpdf2: the shipped font (DejaVu Serif, open-licensed, every Vietnamese letter), A4, the national
heading and the signature block of official Vietnamese documents."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from contest import clock
from contest.models import Contest

FONTS = Path(__file__).resolve().parent.parent.parent / "fonts"
FAMILY = "DejaVuSerif"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


STYLES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}
# What Vietnamese and the Latin scripts need: letters with their marks (precomposed and combining), digits,
# punctuation, dashes and quotes, the đồng and euro signs, №.
COMMON_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x300, 0x323),
    (0x1EA0, 0x1EF9),
    (0x2010, 0x2044),
    (0x20AB, 0x20AC),
    (0x2116, 0x2116),
)
COMMON_CHARACTERS = frozenset(chr(code) for first, last in COMMON_RANGES for code in range(first, last + 1)) | {"\n"}


@functools.cache
def common_fonts() -> Path:
    """The fonts cut to COMMON_RANGES (about a tenth of their glyphs), prepared once per process in a folder of
    its own: fpdf2 parses every font a document adds, and then subsets it, so a small font halves the time a
    certificate takes to draw."""
    folder = Path(tempfile.mkdtemp(prefix="contest-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.glyph_names = True
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]
    codes = [code for first, last in COMMON_RANGES for code in range(first, last + 1)]
    for file in STYLES.values():
        font = TTFont(FONTS / file)
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=codes)
        cutter.subset(font)
        font.save(folder / file)
    return folder


def new_pdf(*, landscape: bool = False, title: str = "", text: str | None = None) -> FPDF:
    """An A4 document with the shipped font. Given all the `text` it will hold, the font cut to the common
    characters is used when that text needs no other (certificates: names in another script keep the whole
    font)."""
    pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
    folder = common_fonts() if text is not None and COMMON_CHARACTERS.issuperset(text) else FONTS
    for style, file in STYLES.items():
        pdf.add_font(FAMILY, style, str(folder / file))
    pdf.set_font(FAMILY, "", 11)
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(title)
    pdf.set_creator("Cuộc thi trực tuyến")
    pdf.set_lang("vi")
    return pdf


def date_line(place: str, moment: datetime) -> str:
    """ "Hòa Bình Xanh, ngày 03 tháng 12 năm 2026", as official documents write it (in Vietnam's time): a leading
    zero for days under 10 and for months 1 and 2 only (Nghị định 30/2020/NĐ-CP), so "tháng 5", "tháng 01"."""
    local = clock.to_vietnam(moment)
    month = f"{local.month:02d}" if local.month < 3 else str(local.month)
    date = f"ngày {local:%d} tháng {month} năm {local:%Y}"
    return f"{place}, {date}" if place else date.capitalize()


def line(pdf: FPDF, text: str, *, size: float = 11, style: str = "", align: str = "C", height: float = 6) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


LEFT_SHARE = 0.42  # of the page's width: the bodies' column; the nation's takes the rest


def bodies_and_nation(pdf: FPDF, parent_body: str, issuer: str) -> float:
    """From the current line: the body above and the organizing body on the left, the nation and its motto on the
    right, each block underlined, as official documents and certificates head their first page. Returns the y of
    the lower block's end."""
    width = pdf.epw
    left_w, right_w = width * LEFT_SHARE, width * (1 - LEFT_SHARE)
    top, x0 = pdf.get_y(), pdf.l_margin
    pdf.set_xy(x0, top)
    pdf.set_font(FAMILY, "", 11)
    if parent_body:
        pdf.multi_cell(left_w, 5.5, parent_body.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(left_w, 5.5, (issuer or "BAN TỔ CHỨC").upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    left_bottom = pdf.get_y()
    pdf.line(x0 + left_w * 0.35, left_bottom + 1.2, x0 + left_w * 0.65, left_bottom + 1.2)
    pdf.set_xy(x0 + left_w, top)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(right_w, 5.5, NATION, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(right_w, 6, MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    right_bottom = pdf.get_y()
    motto_w = pdf.get_string_width(MOTTO)
    middle = x0 + left_w + right_w / 2
    pdf.line(middle - motto_w / 2, right_bottom + 1.2, middle + motto_w / 2, right_bottom + 1.2)
    return max(left_bottom, right_bottom)


def national_heading(pdf: FPDF, contest: Contest, moment: datetime) -> None:
    """The bodies and the nation (bodies_and_nation), then the place and date below on the right."""
    bottom = bodies_and_nation(pdf, contest.parent_body, contest.issuer)
    left_w, right_w = pdf.epw * LEFT_SHARE, pdf.epw * (1 - LEFT_SHARE)
    pdf.set_xy(pdf.l_margin + left_w, bottom + 3)
    pdf.set_font(FAMILY, "I", 11)
    pdf.multi_cell(right_w, 6, date_line(contest.place, moment), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def signer_lines(title: str) -> list[str]:
    """The signer's title in capitals, one line per part typed between " / " ("TM. BAN TỔ CHỨC", "TRƯỞNG BAN")."""
    parts = [part.strip().upper() for part in (title or "TM. Ban Tổ chức").split("/") if part.strip()]
    return parts or ["TM. BAN TỔ CHỨC"]


def signature_block(pdf: FPDF, contest: Contest) -> None:
    """The signer's title and name on the right, with room for the signature and seal between them."""
    if pdf.will_page_break(36):
        pdf.add_page()
    width = pdf.epw * 0.5
    x = pdf.l_margin + pdf.epw - width
    pdf.ln(6)
    pdf.set_x(x)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(width, 5.5, "\n".join(signer_lines(contest.signer_title)), align="C")
    pdf.ln(18)
    pdf.set_x(x)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(width, 5.5, contest.signer_name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def close_fonts(pdf: FPDF) -> None:
    """Close the font files of a document that will not be written (fpdf2 closes them when it writes one)."""
    for font in pdf.fonts.values():
        close = getattr(font, "close", None)
        if close is not None:
            close()
