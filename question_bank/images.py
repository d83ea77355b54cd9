"""Pictures in questions and options: checked (type, size, dimensions), shrunk to what a phone shows, stored as WebP.

Only PNG, JPEG, GIF (its first frame) and WebP are taken; SVG is refused (it can carry scripts). The picture is
re-encoded, so nothing of the uploaded file but its pixels reaches a participant (no metadata, no trailing data).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from question_bank.messages import N_, Message

MAX_IMAGE_BYTES = 5_000_000  # an uploaded picture
MAX_SIDE, MIN_SIDE = 6_000, 16  # pixels of an uploaded picture
MAX_PIXELS = 24_000_000  # decoded, about 100 MB: a phone's photo is 12 to 24 million
# all the pictures of one file, decoded: a few hundred pictures of a phone's screen, or a score of photos (about half
# a minute of decoding on one core, once, at upload); a small zip of huge pictures is refused before any is decoded
MAX_TOTAL_PIXELS = 400_000_000
SHOWN_SIDE = 960  # the longest side stored: sharp on a phone, light on 3G
MAX_ALT = 300  # characters of a picture's description
FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


@dataclass(frozen=True)
class PreparedImage:
    data: bytes  # WebP
    width: int
    height: int
    digest: str = ""  # sha256 of data (filled in from data when not given)

    def __post_init__(self) -> None:
        if not self.digest:
            object.__setattr__(self, "digest", hashlib.sha256(self.data).hexdigest())


@dataclass(frozen=True)
class DraftImage:
    """A question's or an option's picture as a file brought it: its name there, its description, its pixels."""

    source: str
    alt: str
    image: PreparedImage


class ImageProblem(ValueError):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def prepare_image(data: bytes) -> PreparedImage:
    """The picture as it is stored and shown, or ImageProblem saying what is wrong with it."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(N_("the picture is larger than %(megabytes)d MB", megabytes=MAX_IMAGE_BYTES // 1_000_000))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            if picture.format not in FORMATS:
                raise ImageProblem(N_("the picture is not a PNG, JPEG, GIF or WebP file"))
            width, height = picture.size  # read from the header, before any pixel is decoded
            if max(width, height) > MAX_SIDE or min(width, height) < MIN_SIDE or width * height > MAX_PIXELS:
                raise ImageProblem(
                    N_(
                        "the picture is %(width)d x %(height)d pixels: each side must be %(min)d to %(max)d, "
                        "24 million pixels in all",
                        width=width,
                        height=height,
                        min=MIN_SIDE,
                        max=MAX_SIDE,
                    )
                )
            picture.seek(0)  # a GIF's first frame
            if picture.format == "JPEG":
                picture.draft("RGB", (SHOWN_SIDE, SHOWN_SIDE))  # decoded at a fraction of its size: far quicker
            picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        if isinstance(error, ImageProblem):
            raise
        raise ImageProblem(N_("the picture cannot be read: it is broken or not a picture")) from error
    except Image.DecompressionBombWarning as error:
        raise ImageProblem(N_("the picture cannot be read: it is broken or not a picture")) from error
    if _clean_webp(data, picture):
        return PreparedImage(
            data, width, height
        )  # already as it would be stored: kept, so an export reads back the same
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)
    shown = picture.convert("RGBA" if has_alpha else "RGB")
    shown.thumbnail((SHOWN_SIDE, SHOWN_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    shown.save(out, format="WEBP", quality=82, method=4)
    return PreparedImage(out.getvalue(), shown.width, shown.height)


PIXEL_CHUNKS = {b"VP8 ", b"VP8L", b"ALPH"}  # what a still WebP's pixels are made of
ALPHA_FLAG = 0x10  # of VP8X's flags: the others announce ICC, EXIF, XMP or animation


def _clean_webp(data: bytes, picture: Image.Image) -> bool:
    """A still WebP within the shown size, carrying nothing but its pixels (no metadata, no chunk of another kind,
    nothing after its end): kept as it is, so a bank exported and imported again keeps the same pictures."""
    if not (
        picture.format == "WEBP"
        and max(picture.size) <= SHOWN_SIDE
        and getattr(picture, "n_frames", 1) == 1
        and data[:4] == b"RIFF"
        and data[8:12] == b"WEBP"
        and int.from_bytes(data[4:8], "little") + 8 == len(data)
    ):
        return False
    offset = 12
    while offset < len(data):
        kind, size = data[offset : offset + 4], int.from_bytes(data[offset + 4 : offset + 8], "little")
        if kind == b"VP8X":
            if size != 10 or data[offset + 8] & ~ALPHA_FLAG & 0xFF:  # only "has alpha" may be announced
                return False
        elif kind not in PIXEL_CHUNKS:
            return False
        offset += 8 + size + (size & 1)
    return offset == len(data)


def header_pixels(data: bytes) -> int:
    """The pixels a picture declares in its header (nothing decoded); 0 for what is not a picture."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as picture:
                width, height = picture.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return 0
    return width * height


def alt_problem(alt: str) -> Message | None:
    """What is wrong with a picture's description (it is read out to people who cannot see the picture)."""
    if not alt.strip():
        return N_("a picture needs its description (alt text) for people who cannot see it")
    if len(alt) > MAX_ALT:
        return N_("the picture's description is longer than %(max)d characters", max=MAX_ALT)
    return None
