"""New Excel workbooks for the files the platform writes (bank exports, results, bulletins, logs)."""

from __future__ import annotations

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
