"""Excel workbooks the platform writes (bank exports, results, bulletins, member lists, logs).

User text is data: a name typed as "=HYPERLINK(...)" must reach the spreadsheet as those characters, never as a
formula Excel runs. The platform writes no formula of its own, so every cell openpyxl would store as one is
stored as text."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def new_workbook(first_sheet_title: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet, named."""
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
