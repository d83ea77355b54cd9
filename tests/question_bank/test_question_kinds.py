"""The spreadsheet's "Loại câu hỏi" column (#18 item 2, CONTRACT §8): Một đáp án, Nhiều đáp án, Đúng/Sai; true/false
rows may leave the options empty and answer in words; every problem by row; the export writes the column back."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from question_bank.export import write_bank_xlsx
from question_bank.readers import read_questions
from tests.question_bank.conftest import HEADER, xlsx_bytes
from tests.question_bank.vietnamese import vi

KIND_HEADER = [*HEADER, "Loại câu hỏi"]


def _row(number: int, text: str, options: list[str], answer: str, kind: str) -> list[str | int]:
    return [number, text, *(options + [""] * (4 - len(options))), answer, "Chủ đề", "Dễ", "", kind]


def test_true_false_rows_with_or_without_options_and_answers_in_words() -> None:
    rows = [
        _row(1, "Hà Nội là thủ đô.", [], "Đúng", "Đúng/Sai"),
        _row(2, "Trái đất phẳng.", ["Đúng", "Sai"], "B", "dung sai"),
        _row(3, "VNeID là ứng dụng định danh điện tử.", [], "đúng", "Đúng/Sai"),
        _row(4, "Ba trụ cột?", ["Chính phủ số", "Kinh tế số", "Nông nghiệp"], "A,B", "Nhiều đáp án"),
        _row(5, "Ngày Chuyển đổi số?", ["10/10", "3/6"], "A", "Một đáp án"),
        _row(6, "Câu không ghi loại?", ["x", "y"], "B", ""),
    ]
    result = read_questions("bank.xlsx", xlsx_bytes(rows, KIND_HEADER))
    assert result.problems == []
    kinds = [(q.kind, q.answer_letters) for q in result.questions]
    assert kinds == [
        ("true_false", "A"),
        ("true_false", "B"),
        ("true_false", "A"),
        ("multiple", "A,B"),
        ("single", "A"),
        ("single", "B"),
    ]
    assert [o.text for o in result.questions[0].options] == ["Đúng", "Sai"]


def test_bad_kinds_are_problems_by_row_and_nothing_is_read() -> None:
    rows = [
        _row(1, "Một?", ["a", "b"], "A,B", "Một đáp án"),  # one answer only
        _row(2, "Hai?", ["Có", "Không"], "A", "Đúng/Sai"),  # other options than Đúng / Sai
        _row(3, "Ba?", ["a", "b"], "A", "Tự luận"),  # an unknown kind
        _row(4, "Bốn?", [], "Có lẽ", "Đúng/Sai"),  # an answer that is neither a letter nor Đúng / Sai
    ]
    result = read_questions("bank.xlsx", xlsx_bytes(rows, KIND_HEADER))
    assert result.questions == []
    assert [(p.line, vi(p.message)) for p in result.problems] == [
        (2, 'cột "Đáp án": câu loại Một đáp án chỉ có một đáp án, không phải 2'),
        (3, 'cột "Loại câu hỏi": câu Đúng/Sai có hai phương án "Đúng" và "Sai" (hoặc để trống các phương án)'),
        (4, 'cột "Loại câu hỏi": "Tự luận" không phải Một đáp án / Nhiều đáp án / Đúng/Sai'),
        (5, 'cột "Đáp án": "Có lẽ" không phải chữ cái A-F, cũng không trùng nội dung phương án nào'),
    ]


def test_the_export_writes_each_kind_and_imports_back_the_same() -> None:
    rows = [
        _row(1, "Hà Nội là thủ đô.", [], "Sai", "Đúng/Sai"),
        _row(2, "Ba trụ cột?", ["Chính phủ số", "Kinh tế số", "Nông nghiệp"], "A,B", "Nhiều đáp án"),
        _row(3, "Ngày Chuyển đổi số?", ["10/10", "3/6"], "A", ""),
    ]
    first = read_questions("bank.xlsx", xlsx_bytes(rows, KIND_HEADER)).questions
    buffer = io.BytesIO()
    write_bank_xlsx(first, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [cell.value for cell in sheet[1]][-1] == "Loại câu hỏi"
    assert [sheet.cell(row=r, column=sheet.max_column).value for r in (2, 3, 4)] == [
        "Đúng/Sai",
        "Nhiều đáp án",
        "Một đáp án",
    ]
    again = read_questions("bank.xlsx", buffer.getvalue()).questions
    assert [(q.text, q.kind, q.answer_letters, [o.text for o in q.options]) for q in again] == [
        (q.text, q.kind, q.answer_letters, [o.text for o in q.options]) for q in first
    ]


def test_a_bank_written_as_gift_reads_back_the_same_questions_of_every_kind() -> None:
    from question_bank.gift import read_gift
    from question_bank.gift_export import write_gift
    from tests.helpers import DEMO_DATA

    questions = [
        *read_questions("p.csv", (DEMO_DATA / "practice_bank.csv").read_bytes()).questions,
        *read_questions("s.xlsx", (DEMO_DATA / "sample_bank.xlsx").read_bytes()).questions,
    ]
    questions[0].topic = "An toàn/Bảo mật"  # a slash inside a topic's name stays one topic
    questions[1].text = "Dấu {ngoặc}, dấu ~ ngã, = bằng, # thăng và: hai chấm"
    text = write_gift(questions)
    assert "{T ####" in text and "{F ####" in text and "~%50%" in text and "~%-50%" in text
    back = read_gift(text)
    assert back.problems == [] and back.skipped == [] and len(back.questions) == 132

    def seen(question):
        options = [(option.text, option.correct) for option in question.options]
        return question.text, options, question.topic, question.explanation, question.kind

    assert [seen(q) for q in back.questions] == [seen(q) for q in questions]
    kinds = {q.kind for q in back.questions}
    assert kinds == {"true_false", "single", "multiple"}
