"""GIFT and Aiken, in Moodle's documented syntax."""

from __future__ import annotations

from question_bank.readers import read_questions
from tests.question_bank.vietnamese import vi

GIFT = """\
// Ngân hàng thử, định dạng GIFT của Moodle
$CATEGORY: $course$/top/Nhận thức chung

::Q1:: Ngày Chuyển đổi số quốc gia là ngày nào? {
=Ngày 10/10
~Ngày 3/6 # Đây là ngày ký Quyết định 749
~Ngày 1/1
####Quyết định 505/QĐ-TTg.
}

::Q2:: [html]Ba trụ cột của <b>chuyển đổi số</b> là gì? (chọn nhiều đáp án) {
~%50%Chính phủ số
~%50%Kinh tế số
~%-100%Nông nghiệp số
}

$CATEGORY: $course$/top/Kinh tế số
Giá trị của 1\\=1 là đúng hay sai? {=Đúng ~Sai}

// true/false (supported); short answer, matching, numerical, essay, description: not multiple choice
Hà Nội là thủ đô của Việt Nam. {T}

Thủ đô của Việt Nam là? {=Hà Nội =Ha Noi}

Ghép cặp. {=Chính phủ số -> CP =Kinh tế số -> KT =Xã hội số -> XH}

Năm ban hành Quyết định 749? {#2020}

Viết cảm nghĩ của bạn. {}

Đây là phần mô tả, không có câu hỏi.
"""

AIKEN = """\
Ngày Chuyển đổi số quốc gia là ngày nào?
A. Ngày 3/6
B. Ngày 10/10
C) Ngày 1/1
ANSWER: B

Những trụ cột nào thuộc chuyển đổi số? (chọn nhiều đáp án)
A. Chính phủ số
B. Nông nghiệp
C. Xã hội số
ANSWER: A, C
"""


def test_gift_multiple_choice_single_and_multiple_answer() -> None:
    result = read_questions("bank.gift", GIFT.encode())
    assert result.line_label == "line" and result.problems == []
    first, second, third, true_false = result.questions
    assert (first.line, first.text, first.topic) == (4, "Ngày Chuyển đổi số quốc gia là ngày nào?", "Nhận thức chung")
    assert [(o.text, o.correct) for o in first.options] == [
        ("Ngày 10/10", True),
        ("Ngày 3/6", False),
        ("Ngày 1/1", False),
    ]
    assert first.explanation == "Quyết định 505/QĐ-TTg."
    assert second.text == "Ba trụ cột của <b>chuyển đổi số</b> là gì? (chọn nhiều đáp án)"
    assert second.multiple and second.answer_letters == "A,B"
    assert (third.line, third.text, third.topic) == (18, "Giá trị của 1=1 là đúng hay sai?", "Kinh tế số")
    assert (true_false.line, true_false.text) == (21, "Hà Nội là thủ đô của Việt Nam.")
    assert [(o.text, o.correct) for o in true_false.options] == [("Đúng", True), ("Sai", False)]


def test_gift_true_false_in_each_of_moodles_spellings_with_feedback() -> None:
    source = (
        "Trái đất phẳng. {F}\n\n"
        "Hà Nội là thủ đô. {TRUE}\n\n"
        "Trái đất hình cầu. {true#Chưa đúng.#Chính xác: hình cầu.}\n\n"
        "Mặt trời quay quanh Trái đất. {FALSE#Sai rồi#Đúng vậy####Trái đất quay quanh Mặt trời.}\n"
    )
    result = read_questions("bank.gift", source.encode())
    assert result.problems == [] and result.skipped == []
    assert [[o.correct for o in q.options] for q in result.questions] == [
        [False, True],
        [True, False],
        [True, False],
        [False, True],
    ]
    assert [q.explanation for q in result.questions] == [
        "",
        "",
        "Chính xác: hình cầu.",
        "Trái đất quay quanh Mặt trời.",
    ]
    assert not any(q.multiple for q in result.questions)  # one right option: drawn and scored like the others


def test_gift_other_question_types_are_listed_with_their_lines() -> None:
    result = read_questions("bank.gift", GIFT.encode())
    assert [(item.line, vi(item.message)) for item in result.skipped] == [
        (23, "loại câu hỏi trả lời ngắn (short answer) chưa được hỗ trợ"),
        (25, "loại câu hỏi ghép cặp (matching) chưa được hỗ trợ"),
        (27, "loại câu hỏi số (numerical) chưa được hỗ trợ"),
        (29, "loại câu hỏi tự luận (essay) chưa được hỗ trợ"),
        (31, "mô tả (không có đáp án) không phải câu hỏi trắc nghiệm"),
    ]


def test_gift_without_a_right_answer_is_a_problem() -> None:
    result = read_questions("bank.gift", "Câu nào? {~a ~b}\n".encode())
    assert [(p.line, vi(p.message)) for p in result.problems] == [
        (1, "câu hỏi trắc nghiệm cần ít nhất một đáp án đúng (=)")
    ]


def test_aiken_single_and_multiple_answer() -> None:
    result = read_questions("bank.txt", AIKEN.encode())
    assert result.line_label == "line" and result.problems == []
    first, second = result.questions
    assert first.line == 1 and first.answer_letters == "B" and first.options[2].text == "Ngày 1/1"
    assert second.line == 7 and second.multiple and second.answer_letters == "A,C"


def test_aiken_problems_carry_their_lines() -> None:
    source = "Câu một?\nA. x\nANSWER: A\n\nCâu hai?\nA. x\nB. y\nANSWER: D\n\nCâu ba?\nA. x\nB. y\n"
    result = read_questions("bank.txt", source.encode())
    assert result.questions == []
    assert [(p.line, vi(p.message)) for p in result.problems] == [
        (1, "cần ít nhất 2 phương án, mới có 1"),
        (8, "đáp án D chỉ vào phương án không có"),
        (10, 'thiếu dòng "ANSWER: ..."'),
    ]


def test_format_can_be_forced() -> None:
    result = read_questions("questions.dat", AIKEN.encode(), "aiken")
    assert len(result.questions) == 2


def test_gift_reading_grows_with_the_file_not_with_its_square(monkeypatch) -> None:
    """A brace opened and never closed, then thousands of blank-separated lines: every line is looked at a
    bounded number of times (re-reading the open block at each blank line was quadratic)."""
    from question_bank import gift

    looked_at = 0
    escape = gift._escape

    def counting(text: str) -> str:
        nonlocal looked_at
        looked_at += len(text)
        return escape(text)

    monkeypatch.setattr(gift, "_escape", counting)
    source = "::Q1:: Câu hỏi mở {\n" + "".join(f"=đáp án {n}\n\n" for n in range(5_000))
    result = read_questions("bank.gift", source.encode())
    assert result.problems or result.skipped  # the unclosed question is reported, not imported
    assert looked_at <= 4 * len(source)
