"""Export writes the import layout: import -> export -> import gives the same bank."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from question_bank.export import SHEET_TITLE, write_bank_xlsx
from question_bank.readers import read_questions
from question_bank.spreadsheet import STANDARD_HEADER
from tests.helpers import DEMO_DATA
from tests.question_bank.conftest import xlsx_bytes


def _round_trip(questions):
    buffer = io.BytesIO()
    write_bank_xlsx(questions, buffer)
    return buffer.getvalue()


def _signature(questions):
    return [
        (q.text, q.topic, q.difficulty, q.explanation, [(o.position, o.text, o.correct) for o in q.options])
        for q in questions
    ]


def test_sample_bank_round_trips() -> None:
    path = DEMO_DATA / "sample_bank.xlsx"
    first = read_questions(path.name, path.read_bytes())
    data = _round_trip(first.questions)
    second = read_questions("export.xlsx", data)
    assert second.problems == []
    assert _signature(second.questions) == _signature(first.questions)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == SHEET_TITLE and sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]][:3] == ["STT", "Câu hỏi", "Phương án A"]
    assert sheet["B2"].font is not None and sheet["A1"].font.bold


def test_special_text_six_options_and_html_round_trip() -> None:
    rows = [
        # a formula cell reads as empty (never evaluated): in the last option's place, so no gap before it
        [1, "a < b & c? H<sub>2</sub>O", "0", "  lề  ", "D", "=1+1", "A,C", "Chủ đề", "Khó", "Vì <b>thế</b>"],
    ]
    header = STANDARD_HEADER
    source = read_questions("bank.xlsx", xlsx_bytes(rows, header))
    six = xlsx_bytes(
        [[1, "Sáu phương án?", "a", "b", "c", "d", "e", "f", "F", "", "Dễ", ""]],
        [*header[:6], "Phương án E", "Phương án F", *header[6:]],
    )
    source_six = read_questions("bank.xlsx", six)
    assert source.problems == [] and source_six.problems == []
    questions = source.questions + source_six.questions
    again = read_questions("export.xlsx", _round_trip(questions))
    assert again.problems == []
    assert _signature(again.questions) == _signature(questions)
