"""Writing a bank back to the spreadsheet layout of CONTRACT §3; the file imports back unchanged. A bank with
pictures is written as a zip: the workbook (columns Ảnh / Mô tả ảnh, Ảnh A / Mô tả ảnh A, ...) and an images folder."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from question_bank.cell_text import as_cell
from question_bank.difficulty import VIETNAMESE_NAMES
from question_bank.model import KIND_NAMES, LETTERS, DraftQuestion
from question_bank.sanitize import as_typed
from question_bank.workbooks import new_workbook, save_workbook

SHEET_TITLE = "Ngân hàng câu hỏi"


def has_pictures(questions: list[DraftQuestion]) -> bool:
    return any(q.image or any(option.image for option in q.options) for q in questions)


def write_bank_zip(questions: list[DraftQuestion], target: Path | str | BinaryIO) -> int:
    """The workbook and its pictures in one zip, as the upload takes them."""
    workbook = io.BytesIO()
    count = write_bank_xlsx(questions, workbook)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ngan-hang-cau-hoi.xlsx", workbook.getvalue())
        written: set[str] = set()
        for image in (image for q in questions for image in (q.image, *(o.image for o in q.options)) if image):
            if image.source not in written:
                archive.writestr(image.source, image.image.data, compress_type=zipfile.ZIP_STORED)
                written.add(image.source)
    return count


def write_bank_xlsx(questions: list[DraftQuestion], target: Path | str | BinaryIO) -> int:
    option_count = max([4, *(option.position + 1 for q in questions for option in q.options)])
    letters = LETTERS[:option_count]
    option_pictures = [
        letter for letter in letters if any(o.image and o.letter == letter for q in questions for o in q.options)
    ]
    picture_headers = ["Ảnh", "Mô tả ảnh"] if any(q.image for q in questions) else []
    for letter in option_pictures:
        picture_headers += [f"Ảnh {letter}", f"Mô tả ảnh {letter}"]
    headers = [
        "STT",
        "Câu hỏi",
        *(f"Phương án {letter}" for letter in letters),
        "Đáp án",
        "Chủ đề",
        "Mức độ",
        "Giải thích",
        "Loại câu hỏi",
        *picture_headers,
    ]
    workbook, sheet = new_workbook(SHEET_TITLE)
    sheet.append(headers)
    for number, question in enumerate(questions, start=1):
        by_position = {option.position: as_cell(option.text) for option in question.options}
        sheet.append(
            [
                number,
                as_cell(question.text),
                *(by_position.get(position, "") for position in range(option_count)),
                question.answer_letters,
                question.topic,
                VIETNAMESE_NAMES[question.difficulty],
                as_cell(question.explanation),
                KIND_NAMES[question.kind],
                *_picture_cells(question, bool(picture_headers) and picture_headers[0] == "Ảnh", option_pictures),
            ]
        )
    _style(sheet, headers)
    save_workbook(workbook, target)
    return len(questions)


def _picture_cells(question: DraftQuestion, question_column: bool, option_letters: list[str]) -> list[str]:
    cells = [question.image.source, as_typed(question.image.alt)] if question.image else ["", ""]
    cells = cells if question_column else []
    by_letter = {option.letter: option.image for option in question.options}
    for letter in option_letters:
        image = by_letter.get(letter)
        cells += [image.source, as_typed(image.alt)] if image else ["", ""]
    return cells


def _style(sheet: Worksheet, headers: list[str]) -> None:
    widths = {"STT": 6, "Câu hỏi": 60, "Đáp án": 9, "Chủ đề": 26, "Mức độ": 12, "Giải thích": 50, "Loại câu hỏi": 14}
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(header, 30)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if (cell.column or 0) > 1:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
