"""Streamed (write-only) workbooks: what a user opens is what was written, text never turns into a formula, and an
export that fails midway leaves nothing behind to fail later."""

from __future__ import annotations

import gc
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from question_bank.workbooks import BOLD, StreamedSheet, streamed_workbook


def test_rows_formats_and_formula_like_text_come_back_as_written() -> None:
    target = io.BytesIO()
    with streamed_workbook(target) as workbook:
        sheet = StreamedSheet(workbook, "Danh sách", [20, 10, 24], freeze="A2")
        sheet.header(["Họ và tên", "Giây", "Nộp lúc"])
        for number in range(3):
            sheet.row(
                [f'=HYPERLINK("x","{number}")', 1.5 + number, datetime(2026, 10, 10, 8, 0, number)],
                formats={1: "0.000", 2: "dd/mm/yyyy hh:mm:ss"},
            )
        sheet.row([sheet.styled("Tổng", font=BOLD), None, None])
    sheet_read = load_workbook(target)["Danh sách"]
    assert sheet_read.freeze_panes == "A2" and sheet_read.column_dimensions["C"].width == 24
    assert sheet_read["A1"].font.bold and sheet_read["A1"].value == "Họ và tên"
    assert [cell.value for cell in sheet_read["A"]][1:4] == [f'=HYPERLINK("x","{n}")' for n in range(3)]
    assert all(cell.data_type == "s" for cell in sheet_read["A"][1:4])  # text, never a formula Excel runs
    assert [cell.number_format for cell in sheet_read["B"][1:4]] == ["0.000"] * 3
    assert [cell.value for cell in sheet_read["B"][1:4]] == [1.5, 2.5, 3.5]  # the reused cell took each value
    assert sheet_read["C4"].value == datetime(2026, 10, 10, 8, 0, 2)
    assert sheet_read["A5"].font.bold and sheet_read["B5"].value is None


def test_an_export_that_fails_midway_saves_nothing_and_leaves_nothing_open() -> None:
    target = io.BytesIO()
    with pytest.raises(RuntimeError), streamed_workbook(target) as workbook:
        sheet = StreamedSheet(workbook, "Một")
        other = StreamedSheet(workbook, "Hai")
        sheet.row([1, "a"])
        other.row([2, "b"])
        raise RuntimeError("the request's deadline")
    del workbook, sheet, other
    gc.collect()  # an abandoned write-only sheet raised here (pytest reports it), in whatever request ran next
    assert target.getvalue() == b""
