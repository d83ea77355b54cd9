"""Helpers for question-file tests: real files written with openpyxl and csv."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook

from question_bank.spreadsheet import STANDARD_HEADER

HEADER = STANDARD_HEADER


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[list[str]], header: list[str] | None = None) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def row(
    number: int,
    text: str,
    options: tuple[str, ...] = ("Một", "Hai", "Ba", "Bốn"),
    answer: str = "A",
    topic: str = "Chủ đề",
    difficulty: str = "Dễ",
    explanation: str = "",
) -> list[Any]:
    padded = list(options) + [""] * (4 - len(options))
    return [number, text, *padded, answer, topic, difficulty, explanation]


@pytest.fixture
def make_xlsx() -> Callable[..., bytes]:
    return xlsx_bytes
