"""Where a bank's pictures come from: the files of an uploaded zip (the workbook or GIFT file beside an images
folder), and pictures placed over the cells of the workbook itself (Excel's Insert > Pictures > Place over Cells).

A zip holds one question file; pictures are found by the name a row or an <img> gives, as written, in any folder
of the zip, or by the file's name alone when only one file has it (Moodle's `@@PLUGINFILE@@/` prefix is dropped).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape
from urllib.parse import unquote

from defusedxml import ElementTree

from question_bank.images import (
    MAX_IMAGE_BYTES,
    MAX_TOTAL_PIXELS,
    SHOWN_SIDE,
    DraftImage,
    ImageProblem,
    PreparedImage,
    alt_problem,
    header_pixels,
    prepare_image,
)
from question_bank.messages import N_, Message
from question_bank.tables import TableError

QUESTION_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".gift", ".txt")
MAX_ZIP_ENTRIES, MAX_ZIP_UNPACKED = 2_000, 200_000_000
MAX_QUESTION_FILE = 50_000_000
MAX_XML_PART = 20_000_000  # a drawing or relationship part of a workbook: far beyond any real one


@dataclass(frozen=True)
class PlacedPicture:
    """A picture placed over a cell of the workbook: its bytes (None when over the size limit), its alt text,
    and how many pictures share that cell (one is taken; more is a problem)."""

    data: bytes | None
    alt: str
    count: int = 1


_NS = {
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
}


@dataclass
class Pictures:
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the zip -> bytes
    # (row as Excel numbers it, column from 0) -> the picture placed over that cell
    embedded: dict[tuple[int, int], PlacedPicture] = field(default_factory=dict)
    from_zip: bool = False
    # each distinct picture is checked and re-encoded once per read, however many rows name it
    prepared: dict[str, PreparedImage | ImageProblem] = field(default_factory=dict)

    def prepare(self, data: bytes) -> PreparedImage:
        key = hashlib.sha256(data).hexdigest()
        if key not in self.prepared:
            try:
                self.prepared[key] = prepare_image(data)
            except ImageProblem as problem:
                self.prepared[key] = problem
        found = self.prepared[key]
        if isinstance(found, ImageProblem):
            raise found
        return found

    def find(self, name: str) -> bytes | None:
        wanted = unquote(name.strip().replace("\\", "/")).removeprefix("@@PLUGINFILE@@/").removeprefix("./")
        if not wanted:
            return None
        if wanted in self.files:
            return self.files[wanted]
        if wanted.casefold() in self._by_path:
            return self._by_path[wanted.casefold()]
        same = self._by_name.get(posixpath.basename(wanted).casefold(), [])
        return same[0] if len(same) == 1 else None

    @cached_property
    def _by_path(self) -> dict[str, bytes]:
        """The zip's files by path, case ignored (built once per read, however many rows name a picture)."""
        return {path.casefold(): data for path, data in self.files.items()}

    @cached_property
    def _by_name(self) -> dict[str, list[bytes]]:
        """The zip's files by their name alone, case ignored."""
        found: dict[str, list[bytes]] = {}
        for path, data in self.files.items():
            found.setdefault(posixpath.basename(path).casefold(), []).append(data)
        return found


def take_picture(
    pictures: Pictures | None, name: str, alt: str, embedded: PlacedPicture | None = None
) -> tuple[DraftImage | None, list[Message]]:
    """The picture a row or an <img> names (or one placed over its cell), checked; or the problems with it."""
    if not name and embedded is None:
        return None, []
    if embedded is not None and not name:
        if embedded.count > 1:
            return None, [N_("%(count)d pictures are placed over one cell: keep one", count=embedded.count)]
        if embedded.data is None:
            return None, [N_("the picture is larger than %(megabytes)d MB", megabytes=MAX_IMAGE_BYTES // 1_000_000)]
        data: bytes | None = embedded.data
        alt = alt or embedded.alt
        name = N_("placed over the cell")  # type: ignore[assignment]  # rendered in the reader's language
    else:
        data = pictures.find(name) if pictures is not None else None
    problems: list[Message] = []
    if data is None:
        if pictures is None or not pictures.from_zip:
            problems.append(
                N_(
                    'picture "%(name)s": upload the question file and its pictures together in one .zip file',
                    name=name,
                )
            )
        else:
            problems.append(N_('picture "%(name)s": no such file in the .zip', name=name))
    missing_alt = alt_problem(alt)
    if missing_alt is not None:
        problems.append(missing_alt)
    if data is None or problems:
        return None, problems
    try:
        prepared = pictures.prepare(data) if pictures is not None else prepare_image(data)
    except ImageProblem as error:
        return None, [N_('picture "%(name)s": %(problem)s', name=name, problem=error.message)]
    return DraftImage(name if isinstance(name, str) else "", alt.strip(), prepared), []  # "": over its cell


_IMG = re.compile(r"""<img\b(?:"[^"]*"|'[^']*'|[^'">])*>""", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def split_images(html: str) -> tuple[str, list[tuple[str, str]]]:
    """HTML without its <img> tags, and each tag's (src, alt) in order (GIFT's [html] questions)."""
    found: list[tuple[str, str]] = []
    for tag in _IMG.findall(html):
        attributes = {
            name.lower(): unescape(next((value for value in values if value), ""))
            for name, *values in _ATTRIBUTE.findall(tag[4:])
        }
        found.append((attributes.get("src", ""), attributes.get("alt", "")))
    return _IMG.sub("", html).strip(), found


def picture_in_html(pictures: Pictures | None, html: str) -> tuple[str, DraftImage | None, list[Message]]:
    """A GIFT text's picture: the text without it, the picture checked, or the problems with it."""
    text, images = split_images(html)
    if not images:
        return html, None, []
    if len(images) > 1:
        return (
            text,
            None,
            [N_("%(count)d pictures in one text: a question or option has at most one", count=len(images))],
        )
    source, alt = images[0]
    if not source:
        return text, None, [N_("a picture without its file (src)")]
    image, problems = take_picture(pictures, source, alt)
    return text, image, problems


def _ignored(path: str) -> bool:
    base = posixpath.basename(path)
    return path.startswith("__MACOSX/") or base.startswith(("._", "~$", ".")) or path.endswith("/")


def open_bank_zip(data: bytes) -> tuple[str, bytes, Pictures]:
    """The question file of a zip (its name and bytes) and the zip's other files; TableError when the zip is
    broken, too large, or holds no question file or several."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [entry for entry in archive.infolist() if not _ignored(entry.filename)]
    except (zipfile.BadZipFile, ValueError) as error:
        raise TableError(N_("The .zip file cannot be opened: it is broken or not a zip file.")) from error
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_ZIP_UNPACKED:
        raise TableError(
            N_(
                "The .zip file holds more than %(count)d files or unpacks to more than %(megabytes)d MB.",
                count=MAX_ZIP_ENTRIES,
                megabytes=MAX_ZIP_UNPACKED // 1_000_000,
            )
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise TableError(N_("The .zip file is protected by a password: make it again without one."))
    question_files = [entry for entry in entries if entry.filename.lower().endswith(QUESTION_SUFFIXES)]
    if len(question_files) != 1:
        names = ", ".join(entry.filename for entry in question_files) or "-"
        raise TableError(
            N_(
                "The .zip file must hold exactly one question file (.xlsx, .csv, .gift or .txt) beside its pictures; "
                "it holds: %(names)s",
                names=names,
            )
        )
    chosen = question_files[0]
    if chosen.file_size > MAX_QUESTION_FILE:
        raise TableError(N_("The question file in the .zip is too large."))
    try:
        question_data = archive.read(chosen)
        # a picture over the size limit is reported by the row that names it (the whole zip is bounded above)
        files = {entry.filename: archive.read(entry) for entry in entries if entry is not chosen}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, zlib.error, EOFError) as error:
        raise TableError(N_("The .zip file cannot be opened: it is broken or not a zip file.")) from error
    check_total_pixels(files.values())
    return chosen.filename, question_data, Pictures(files=files, from_zip=True)


def check_total_pixels(pictures: Iterable[bytes]) -> None:
    """Refuse, before decoding any, pictures that add up to more pixels than one file may bring."""
    total = sum(header_pixels(data) for data in pictures)
    if total > MAX_TOTAL_PIXELS:
        raise TableError(
            N_(
                "The pictures of the file add up to %(count)s million pixels, more than %(max)s million: shrink them "
                "(a picture is shown at most %(side)d pixels wide) and upload again.",
                count=f"{total // 1_000_000:,}".replace(",", "."),
                max=f"{MAX_TOTAL_PIXELS // 1_000_000:,}".replace(",", "."),
                side=SHOWN_SIDE,
            )
        )


def embedded_pictures(xlsx: bytes, sheet: str | None = None) -> dict[tuple[int, int], PlacedPicture]:
    """Pictures placed over the cells of a sheet (its path in the workbook; the first sheet when not given), by the
    cell their top-left corner is in."""
    try:
        with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
            names = set(archive.namelist())
            sheet = sheet or _first_sheet(archive)
            drawing = _target(archive, sheet, "drawing") if sheet else None
            if drawing is None or drawing not in names:
                return {}
            media = _relations(archive, drawing)
            root = ElementTree.fromstring(_xml(archive, drawing))
            found: dict[tuple[int, int], PlacedPicture] = {}
            for anchor in [*root.findall("xdr:twoCellAnchor", _NS), *root.findall("xdr:oneCellAnchor", _NS)]:
                start, picture = anchor.find("xdr:from", _NS), anchor.find("xdr:pic", _NS)
                blip = picture.find("xdr:blipFill/a:blip", _NS) if picture is not None else None
                if start is None or blip is None:
                    continue
                path = media.get(blip.get(f"{{{_NS['r']}}}embed", ""))
                if path is None or path not in names:
                    continue
                properties = picture.find("xdr:nvPicPr/xdr:cNvPr", _NS) if picture is not None else None
                alt = (properties.get("descr", "") if properties is not None else "").strip()
                cell = (int(start.findtext("xdr:row", "0", _NS)) + 1, int(start.findtext("xdr:col", "0", _NS)))
                if cell in found:
                    found[cell] = PlacedPicture(found[cell].data, found[cell].alt, found[cell].count + 1)
                    continue
                data = archive.read(path) if archive.getinfo(path).file_size <= MAX_IMAGE_BYTES else None
                found[cell] = PlacedPicture(data, alt)
            return found
    except (zipfile.BadZipFile, KeyError, ValueError, RuntimeError, ElementTree.ParseError, zlib.error, EOFError):
        return {}


def _xml(archive: zipfile.ZipFile, part: str) -> bytes:
    """A workbook's XML part, refused (ValueError) beyond any real one's size before it is read."""
    if archive.getinfo(part).file_size > MAX_XML_PART:
        raise ValueError(f"{part} is too large")
    return archive.read(part)


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """A part's relationships: id -> the target part's path in the archive."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return {}
    root = ElementTree.fromstring(_xml(archive, rels))
    return {
        item.get("Id", ""): _resolve(folder, item.get("Target", "")) for item in root.findall("rel:Relationship", _NS)
    }


def _resolve(folder: str, target: str) -> str:
    """A relationship's target as a path in the archive ("/xl/..." is from the archive's root)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def _target(archive: zipfile.ZipFile, part: str, kind: str) -> str | None:
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return None
    root = ElementTree.fromstring(_xml(archive, rels))
    for item in root.findall("rel:Relationship", _NS):
        if item.get("Type", "").endswith(f"/{kind}"):
            return _resolve(folder, item.get("Target", ""))
    return None


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The path of the first worksheet in the workbook's order (the one the reader reads)."""
    if "xl/workbook.xml" not in archive.namelist():
        return None
    root = ElementTree.fromstring(_xml(archive, "xl/workbook.xml"))
    first = root.find("main:sheets/main:sheet", _NS)
    if first is None:
        return None
    return _relations(archive, "xl/workbook.xml").get(first.get(f"{{{_NS['r']}}}id", ""))
