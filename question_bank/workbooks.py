"""Excel workbooks the platform writes (bank exports, results, bulletins, member lists, logs).

User text is data: a name typed as "=HYPERLINK(...)" must reach the spreadsheet as those characters, never as a
formula Excel runs. The platform writes no formula of its own, so every cell openpyxl would store as one is
stored as text."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet


def new_workbook(first_sheet_title: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet, named, held whole in memory: for short documents laid out cell by cell
    (merged headings, a signature block). Long lists are written with StreamedSheet."""
    workbook = Workbook()
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # a new workbook always starts with one worksheet
        raise TypeError("a new workbook has no worksheet")
    sheet.title = first_sheet_title
    return workbook, sheet


def save_workbook(workbook: Workbook, target: Path | str | IO[bytes]) -> None:
    """Save, with every cell that openpyxl took for a formula (text starting with "=") kept as text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    workbook.save(target)


BOLD = Font(bold=True)
HEADER_FONT = BOLD
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


class StreamedSheet:
    """A sheet written row by row in openpyxl's write-only mode: each row goes to a temporary file as it is
    appended and nothing is read back, so a workbook of 100,000 rows costs time in proportion to its rows and
    little memory. Column widths and frozen rows are set before the first row.

    A row is serialised as soon as it is appended, so the styled cell of a column with a number format is made
    once and given each row's value (making and styling a cell per row was a fifth of the time)."""

    def __init__(self, workbook: Workbook, title: str, widths: Sequence[float] = (), freeze: str | None = None):
        self._sheet: WriteOnlyWorksheet = workbook.create_sheet(title)
        self._formatted: dict[tuple[int, str], Cell] = {}
        for index, width in enumerate(widths, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            self._sheet.freeze_panes = freeze

    def header(self, titles: Iterable[str]) -> None:
        """A row of bold titles on a light blue fill."""
        self.row(titles, font=HEADER_FONT, fill=HEADER_FILL)

    def row(
        self,
        values: Iterable[Any],
        *,
        formats: Mapping[int, str] | None = None,
        font: Font | None = None,
        fill: PatternFill | None = None,
    ) -> None:
        """Append one row. `formats` gives number formats by column (from 0); text that Excel would read as a
        formula (starting with "=") is written as text."""
        cells: list[Any] = []
        for column, value in enumerate(values):
            number_format = formats.get(column) if formats else None
            formula_like = isinstance(value, str) and value.startswith("=")
            if value is None or isinstance(value, Cell) or not (number_format or font or fill or formula_like):
                cells.append(value)
            elif number_format and not (font or fill):
                cells.append(self._formatted_cell(column, number_format, value))
            else:
                cells.append(self.styled(value, number_format=number_format, font=font, fill=fill))
        self._sheet.append(cells)

    def _formatted_cell(self, column: int, number_format: str, value: Any) -> Cell:
        cell = self._formatted.get((column, number_format))
        if cell is None:
            cell = self._formatted[(column, number_format)] = self.styled(value, number_format=number_format)
            return cell
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        return cell

    def styled(
        self, value: Any, *, number_format: str | None = None, font: Font | None = None, fill: PatternFill | None = None
    ) -> Cell:
        """One cell with its own style, for `row` (a bold label beside plain values)."""
        cell = WriteOnlyCell(self._sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        return cell


@contextmanager
def streamed_workbook(target: Path | str | IO[bytes]) -> Iterator[Workbook]:
    """A workbook whose sheets are added with StreamedSheet inside the block, saved to `target` at its end.

    When the block fails (a deadline, a database error), the half-written sheets are still closed in order: a
    write-only sheet left open fails again when it is collected, in whatever request runs then."""
    workbook = Workbook(write_only=True)
    try:
        yield workbook
    except BaseException:
        with suppress(Exception):
            workbook.save(io.BytesIO())
        raise
    workbook.save(target)
