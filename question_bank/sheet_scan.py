"""A worksheet's XML read as a stream before anything large is built from it: its cells counted against a cap,
its hidden rows and merged ranges found (which openpyxl's read-only mode does not give)."""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from defusedxml.ElementTree import ParseError, iterparse

from question_bank.messages import N_, Message
from question_bank.text import clean

# Far beyond any real bank (10,000 questions of 20 columns), far below what keeps a worker busy for long.
MAX_CELLS = 250_000
TOO_MANY_CELLS_MESSAGE = N_(
    "The workbook has more than %(max)s cells: keep only the table's rows and columns, or split it into several files.",
    max=f"{MAX_CELLS:,}".replace(",", "."),
)
MAX_MERGED_RANGES = 5_000  # a topic merged over its questions, a title: tens; a few thousand at most
TOO_MANY_MERGES_MESSAGE = N_(
    "The sheet has more than %(max)s merged ranges: unmerge the cells of the table.",
    max=f"{MAX_MERGED_RANGES:,}".replace(",", "."),
)
MAX_MERGED_ROWS = 250_000  # rows a sheet's merged ranges may cover in all (each range counted over its own rows)
TOO_MANY_MERGED_ROWS_MESSAGE = N_(
    "The sheet's merged cells cover more than %(max)s rows in all: unmerge the cells of the table.",
    max=f"{MAX_MERGED_ROWS:,}".replace(",", "."),
)
BROKEN_SHEET_MESSAGE = N_('Sheet "%(sheet)s" cannot be read: the file is broken (save it again in Excel).')

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class ScanError(ValueError):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class MergedRange:
    min_row: int
    min_col: int  # from 0, as a row's cells are indexed
    max_row: int
    max_col: int

    @property
    def across(self) -> bool:
        return self.max_col > self.min_col

    def __str__(self) -> str:
        return f"{column_name(self.min_col)}{self.min_row}:{column_name(self.max_col)}{self.max_row}"


@dataclass
class SheetFacts:
    cells: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    merged: list[MergedRange] = field(default_factory=list)
    # (row, column from 0) -> a cell's text as HTML, where the cell holds formatted runs written inline (openpyxl's
    # read-only mode reads those as plain text; Excel writes runs in the shared strings, which it reads)
    rich: dict[tuple[int, int], str] = field(default_factory=dict)


class CellBudget:
    """The cells left to read in one workbook, shared by its sheets (and its shared-strings table)."""

    def __init__(self, cap: int = MAX_CELLS) -> None:
        self.left = cap

    def take(self, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise ScanError(TOO_MANY_CELLS_MESSAGE)


_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CHUNK = 1 << 20


def count_cells(archive: zipfile.ZipFile, part: str, sheet: str, budget: CellBudget) -> None:
    """A first count of the sheet's cells, at the speed of a byte search, stopping at the budget: a small file that
    unpacks to millions of cells is refused before any XML parser sees it."""
    left = budget.left
    tail = b""
    try:
        with archive.open(part) as source:
            while chunk := source.read(_CHUNK):
                window = tail + chunk
                left -= len(_CELL_TAG.findall(window, 0, len(window) - 8 if len(chunk) == _CHUNK else len(window)))
                if left < 0:
                    raise ScanError(TOO_MANY_CELLS_MESSAGE)
                tail = window[-8:] if len(chunk) == _CHUNK else b""
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        if isinstance(error, ScanError):
            raise
        raise ScanError(N_(BROKEN_SHEET_MESSAGE.template, sheet=sheet)) from error


def scan_sheet(archive: zipfile.ZipFile, part: str, sheet: str, budget: CellBudget) -> SheetFacts:
    """Count the sheet's cells (stopping at the budget), and note its hidden rows and merged ranges."""
    count_cells(archive, part, sheet, budget)
    facts = SheetFacts()
    row_number = column = 0
    container = None  # sheetData: emptied after each row, so that memory stays flat however long the sheet
    try:
        with archive.open(part) as source:
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == f"{_MAIN}sheetData":
                        container = element
                    elif tag == f"{_MAIN}row":
                        reference = element.get("r")
                        row_number = int(reference) if reference and reference.isdigit() else row_number + 1
                        column = -1
                        if element.get("hidden") in ("1", "true"):
                            facts.hidden_rows.add(row_number)
                    elif tag == f"{_MAIN}c":
                        found = _cell(element.get("r", ""))
                        column = found[1] if found else column + 1
                    continue
                if tag == f"{_MAIN}c":
                    facts.cells += 1
                    budget.take()
                    if element.get("t") == "inlineStr":
                        formatted = inline_runs_html(element)
                        if formatted is not None:
                            facts.rich[(row_number, column)] = formatted
                elif tag == f"{_MAIN}row" and container is not None:
                    container.clear()
                elif tag == f"{_MAIN}mergeCell":
                    merged = _range(element.get("ref", ""))
                    if merged is not None:
                        facts.merged.append(merged)
                        if len(facts.merged) > MAX_MERGED_RANGES:
                            raise ScanError(TOO_MANY_MERGES_MESSAGE)
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        if isinstance(error, ScanError):
            raise
        raise ScanError(N_(BROKEN_SHEET_MESSAGE.template, sheet=sheet)) from error
    return facts


def count_shared_strings(archive: zipfile.ZipFile, part: str, budget: CellBudget) -> None:
    """The shared strings a workbook declares count against the same budget: each is a cell's text at most."""
    try:
        with archive.open(part) as source:
            root = None
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    root = root if root is not None else element
                    continue
                if element.tag == f"{_MAIN}si":
                    budget.take()
                    if root is not None:
                        root.clear()
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        if isinstance(error, ScanError):
            raise
        message = N_("The workbook's table of texts cannot be read: the file is broken (save it again in Excel).")
        raise ScanError(message) from error


_RUN_TAGS = (("b", "b"), ("i", "i"), ("u", "u"))


def inline_runs_html(cell: Any) -> str | None:
    """An inline string's runs as escaped text with <b>, <i>, <u>, <sub>, <sup> where a run is formatted so;
    None when no run is."""
    runs = cell.findall(f"{_MAIN}is/{_MAIN}r")
    parts: list[str] = []
    formatted = False
    for run in runs:
        text = "".join(piece.text or "" for piece in run.findall(f"{_MAIN}t"))
        piece = html.escape(text, quote=False)
        properties = run.find(f"{_MAIN}rPr")
        tags: list[str] = []
        if properties is not None and text.strip():
            for name, tag in _RUN_TAGS:
                found = properties.find(f"{_MAIN}{name}")
                if found is not None and found.get("val", "1") not in ("0", "false", "none"):
                    tags.append(tag)
            vertical = properties.find(f"{_MAIN}vertAlign")
            if vertical is not None and vertical.get("val") in ("superscript", "subscript"):
                tags.append("sup" if vertical.get("val") == "superscript" else "sub")
        for tag in tags:
            piece = f"<{tag}>{piece}</{tag}>"
        formatted = formatted or bool(tags)
        parts.append(piece)
    return clean("".join(parts)) if formatted else None


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def column_name(index: int) -> str:
    """A column's letters as Excel names it (0 -> A, 26 -> AA)."""
    name, number = "", index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def _cell(reference: str) -> tuple[int, int] | None:
    letters = "".join(ch for ch in reference if ch.isalpha()).upper()
    digits = reference[len(letters) :]
    if not letters or not digits.isdigit() or len(letters) > 3:
        return None
    return int(digits), _column_index(letters)


def _range(reference: str) -> MergedRange | None:
    first, _, last = reference.partition(":")
    start, end = _cell(first), _cell(last or first)
    if start is None or end is None:
        return None
    return MergedRange(min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1]))
