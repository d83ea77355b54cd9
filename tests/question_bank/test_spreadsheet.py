"""The spreadsheet layout (CONTRACT §3), from .xlsx and .csv."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections import Counter
from datetime import datetime

import pytest
from openpyxl import Workbook

from question_bank.readers import read_questions
from question_bank.tables import TableError, read_table
from tests.helpers import DEMO_DATA
from tests.question_bank.conftest import HEADER, csv_text, row, xlsx_bytes
from tests.question_bank.vietnamese import vi

SAMPLE_COUNTS = {
    "Nhận thức chung về CĐS": (7, 8, 5),
    "Chính quyền số": (7, 8, 5),
    "Kinh tế số": (6, 9, 5),
    "Xã hội số và kỹ năng số": (7, 8, 5),
    "An toàn thông tin và dữ liệu cá nhân": (7, 8, 5),
    "Văn bản chỉ đạo": (6, 9, 5),
}


def _messages(result) -> list[str]:
    return [f"{problem.line}: {vi(problem.message)}" for problem in result.problems]


def _check_sample(result) -> None:
    assert result.problems == [] and result.notices == []
    assert len(result.questions) == 120
    counts = Counter((q.topic, q.difficulty) for q in result.questions)
    for topic, (easy, medium, hard) in SAMPLE_COUNTS.items():
        assert (counts[(topic, "easy")], counts[(topic, "medium")], counts[(topic, "hard")]) == (easy, medium, hard)
    multiple = [q for q in result.questions if q.multiple]
    assert len(multiple) == 10
    assert all(q.text.endswith("(chọn nhiều đáp án)") for q in multiple)
    assert Counter(len(q.options) for q in result.questions) == {4: 120}


def test_sample_bank_xlsx_reads_exactly() -> None:
    path = DEMO_DATA / "sample_bank.xlsx"
    result = read_questions(path.name, path.read_bytes())
    _check_sample(result)
    first = result.questions[0]
    assert first.line == 2 and first.text == "Ba trụ cột của chuyển đổi số quốc gia là gì?"
    assert first.answer_letters == "A" and first.explanation.startswith("Quyết định 749/QĐ-TTg")


def test_sample_bank_csv_reads_the_same_questions_as_xlsx() -> None:
    csv_path, xlsx_path = DEMO_DATA / "sample_bank.csv", DEMO_DATA / "sample_bank.xlsx"
    from_csv = read_questions(csv_path.name, csv_path.read_bytes())
    from_xlsx = read_questions(xlsx_path.name, xlsx_path.read_bytes())
    _check_sample(from_csv)
    assert [q.fingerprint() for q in from_csv.questions] == [q.fingerprint() for q in from_xlsx.questions]


def test_headers_match_without_case_accents_or_spaces_and_answers_in_many_forms() -> None:
    header = [
        "stt",
        " CAU HOI ",
        "phuong an a",
        "Phương Án  B",
        "PHƯƠNG ÁN C",
        "phuongand",
        "dap an",
        "chu de",
        "muc do",
        "giai thich",
    ]
    data = xlsx_bytes(
        [
            row(1, "Câu một?", answer="a, c", difficulty="de"),
            row(2, "Câu hai?", answer="B;D", difficulty="TB"),
            row(3, "Câu ba?", answer="A C", difficulty="kho"),
            row(4, "Câu bốn?", answer="bd", difficulty="hard"),
            row(5, "Câu năm?", answer="d", difficulty="2"),
        ],
        header,
    )
    result = read_questions("bank.xlsx", data)
    assert result.problems == []
    assert [q.answer_letters for q in result.questions] == ["A,C", "B,D", "A,C", "B,D", "D"]
    assert [q.difficulty for q in result.questions] == ["easy", "medium", "hard", "hard", "medium"]


def test_blank_rows_are_skipped_and_rows_keep_excel_numbers() -> None:
    data = xlsx_bytes([row(1, "Câu một?"), [None] * 10, ["", " ", None], row(4, "Câu bốn?", answer="X")])
    result = read_questions("bank.xlsx", data)
    assert [q.line for q in result.questions] == [2]
    assert _messages(result) == ['5: cột "Đáp án": "X" không phải chữ cái A-F, cũng không trùng nội dung phương án nào']


def test_numbers_and_dates_read_back_as_typed() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([1, "Năm nào ban hành QĐ 749?", 2020, 2021, 0.5, datetime(2026, 10, 10), "A", "T", "Dễ", ""])
    sheet.append([2, "Tỷ lệ?", 0.7, 0.25, "x", "y", "A", "T", "Dễ", ""])
    sheet["C3"].number_format = "0%"
    sheet["D3"].number_format = "0%"
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_questions("bank.xlsx", buffer.getvalue())
    assert result.problems == []
    # as a Vietnamese Excel shows them: a decimal comma
    assert [o.text for o in result.questions[0].options] == ["2020", "2021", "0,5", "10/10/2026"]
    assert [o.text for o in result.questions[1].options][:2] == ["70%", "25%"]


def test_merged_and_styled_cells_are_tolerated() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ngân hàng câu hỏi thi tìm hiểu CĐS"])
    sheet.merge_cells("A1:J1")
    sheet.append(HEADER)
    sheet.append(row(1, "Câu một?"))
    sheet.append(row(2, "Câu hai?", topic="Gộp"))
    sheet.merge_cells("H3:H4")
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_questions("bank.xlsx", buffer.getvalue())
    # The merged title above is skipped; the merged topic belongs to every row it covers, as Excel shows it.
    assert result.problems == []
    assert [(q.line, q.topic) for q in result.questions] == [(3, "Chủ đề"), (4, "Chủ đề")]


def test_every_problem_is_reported_with_its_row_and_column() -> None:
    data = xlsx_bytes(
        [
            row(1, "", answer="A"),  # row 2: no text
            row(2, "Một phương án?", options=("Chỉ một",)),  # row 3: one option
            row(3, "Trỏ vào ô trống?", options=("Một", "Hai"), answer="C"),  # row 4
            row(4, "Mức độ lạ?", difficulty="Siêu khó"),  # row 5
            row(5, "Thiếu đáp án?", answer=""),  # row 6
            row(6, "Câu trùng?"),  # row 7
            row(7, "  câu   TRÙNG? "),  # row 8: the same after trimming, collapsing spaces and case
            row(8, "Câu tốt?"),  # row 9
        ]
    )
    result = read_questions("bank.xlsx", data)
    assert _messages(result) == [
        '2: cột "Câu hỏi": thiếu nội dung câu hỏi',
        "3: cần ít nhất 2 phương án, mới có 1",
        '4: cột "Đáp án": đáp án C chỉ vào phương án trống',
        '5: cột "Mức độ": "Siêu khó" không phải Dễ / Trung bình / Khó',
        '6: cột "Đáp án": thiếu đáp án',
        "8: câu hỏi trùng với câu ở dòng 7",
    ]


def test_a_gap_between_options_is_a_problem_not_a_relettering() -> None:
    """Option B empty and C filled: read as A, B the file's "C" would become "B" and the answer "C" would point at
    nothing or at the wrong option. The row is refused, saying which option is empty (#17)."""
    data = xlsx_bytes(
        [
            row(1, "Khoảng trống?", options=("Một", "", "Ba"), answer="C"),  # row 2
            row(2, "Hai khoảng trống?", options=("Một", "", "", "Bốn"), answer="A"),  # row 3
            row(3, "Không trống?", options=("Một", "Hai", "Ba"), answer="C"),  # row 4
        ]
    )
    result = read_questions("bank.xlsx", data)
    rest = 'để trống nhưng có phương án sau được điền: hãy điền các phương án liền nhau từ "Phương án A"'
    assert _messages(result) == [f"2: phương án B {rest}", f"3: phương án B, C {rest}"]
    assert [question.text for question in result.questions] == ["Không trống?"]


def test_missing_required_columns_are_named() -> None:
    data = xlsx_bytes([["Câu?", "A"]], ["Câu hỏi", "Phương án A"])
    result = read_questions("bank.xlsx", data)
    assert _messages(result) == ['1: thiếu cột "Phương án B", "Đáp án"']


def test_csv_line_numbers_count_multi_line_cells() -> None:
    text = csv_text([row(1, "Dòng một\ndòng hai?"), row(2, "Câu hai?", answer="Z")])
    result = read_questions("bank.csv", text.encode())
    assert _messages(result) == ['4: cột "Đáp án": "Z" không phải chữ cái A-F, cũng không trùng nội dung phương án nào']


def test_csv_in_utf8_with_bom_windows_1258_and_semicolons() -> None:
    text = csv_text([row(1, "Chuyển đổi số là gì?", options=("Đúng", "Sai"))])
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16")):
        result = read_questions("bank.csv", data)
        assert result.problems == [] and result.questions[0].text == "Chuyển đổi số là gì?"
    # Windows-1258 keeps some tones as combining marks: the text comes back in NFC.
    cp1258 = _windows_1258(text.replace(",", ";"))
    result = read_questions("bank.csv", cp1258)
    assert result.problems == [] and result.questions[0].options[0].text == "Đúng"


@pytest.mark.parametrize("data", [b"\xfe\xff\x00", b"\xff\xfe\x00\xd8\x41\x00"], ids=["odd length", "lone surrogate"])
def test_a_broken_utf16_csv_is_a_problem_not_a_crash(data: bytes) -> None:
    result = read_questions("bank.csv", data)
    assert result.questions == [] and len(result.problems) == 1 and "CSV UTF-8" in vi(result.problems[0].message)


def _windows_1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: letters with their shape, tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_text_in_legacy_encodings_is_converted_and_reported() -> None:
    data = xlsx_bytes(
        [
            row(1, "Céng hoµ x· héi chñ nghÜa ViÖt Nam?", options=("§óng", "Sai")),
            row(2, "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam?", options=("Ñuùng", "Sai")),
        ]
    )
    result = read_questions("bank.xlsx", data)
    assert result.problems == []
    assert result.questions[0].text == "Cộng hoà xã hội chủ nghĩa Việt Nam?"
    assert result.questions[0].options[0].text == "Đúng"
    assert result.questions[1].text == "Cộng hòa xã hội chủ nghĩa Việt Nam?"
    assert result.questions[1].options[0].text == "Đúng"
    notices = [f"{n.line}: {vi(n.message)}" for n in result.notices]
    assert any(n.startswith('2: cột "Câu hỏi": đã chuyển từ bảng mã TCVN3') for n in notices)
    assert any(n.startswith('3: cột "Phương án A": đã chuyển từ bảng mã VNI') for n in notices)


def test_legacy_text_that_cannot_be_converted_surely_is_a_problem() -> None:
    data = xlsx_bytes([row(1, "Céng hoµ chaøo", options=("a", "b"))])
    result = read_questions("bank.xlsx", data)
    assert result.questions == []
    assert _messages(result)[0].startswith('2: cột "Câu hỏi": văn bản gõ bằng bảng mã cũ')


def test_text_typed_in_a_cell_is_text_tags_included() -> None:
    data = xlsx_bytes(
        [
            row(
                1,
                'H<sub>2</sub>O <script>alert(1)</script><b onclick="x()">đậm</b>',
                options=("<img src=x onerror=alert(1)>Một", "a < b & c"),
            )
        ]
    )
    result = read_questions("bank.xlsx", data)
    question = result.questions[0]
    # shown as typed, escaped: nothing in a cell runs, and nothing typed is cut away
    assert question.text == (
        'H&lt;sub&gt;2&lt;/sub&gt;O &lt;script&gt;alert(1)&lt;/script&gt;&lt;b onclick="x()"&gt;đậm&lt;/b&gt;'
    )
    assert [o.text for o in question.options] == ["&lt;img src=x onerror=alert(1)&gt;Một", "a &lt; b &amp; c"]


def test_broken_or_unknown_files_are_one_clear_problem() -> None:
    broken = read_questions("bank.xlsx", b"not a zip file")
    assert "Không mở được tệp Excel" in vi(broken.problems[0].message) and broken.problems[0].line is None
    assert str(broken.problems[0].message).startswith("The Excel file (.xlsx) cannot be opened")  # English
    unknown = read_questions("bank.pdf", b"%PDF")
    assert "Không nhận ra định dạng của tệp '.pdf'" in vi(unknown.problems[0].message)
    empty = read_questions("bank.csv", b"")
    assert "Tệp trống" in vi(empty.problems[0].message)


def _xlsx_with_sheet_xml(sheet_xml: str) -> bytes:
    """A real workbook whose first sheet's XML is replaced, as a crafted upload would be."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([row(1, "Câu hỏi?")])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part.filename)
            target.writestr(part, sheet_xml.encode() if part.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dim}"/><sheetData>{rows}</sheetData></worksheet>'
)


def test_a_sheet_declaring_a_million_rows_and_16384_columns_is_not_believed() -> None:
    cells = '<c r="A1" t="inlineStr"><is><t>STT</t></is></c><c r="B1" t="inlineStr"><is><t>Câu hỏi</t></is></c>'
    rows = f'<row r="1">{cells}</row>'
    table = read_table("bank.xlsx", _xlsx_with_sheet_xml(SHEET.format(dim="A1:XFD1048576", rows=rows)))
    assert table.headers == ["STT", "Câu hỏi"] and table.rows == []


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ('<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>', "more than 100000 rows"),
        ('<row r="1"><c r="AY1" t="inlineStr"><is><t>x</t></is></c></row>', "more than 50 columns"),  # the 51st
    ],
)
def test_a_table_beyond_the_caps_stops_with_a_message(rows: str, message: str) -> None:
    with pytest.raises(TableError) as refused:
        read_table("bank.xlsx", _xlsx_with_sheet_xml(SHEET.format(dim="A1", rows=rows)))
    assert message in refused.value.message.render()


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/bomb.xml", "w") as part:
        zeros = b"\0" * 1_000_000
        for _ in range(101):  # 101 MB of zeros: about 100 KB packed
            part.write(zeros)
    assert len(out.getvalue()) < 1_000_000
    with pytest.raises(TableError) as refused:
        read_table("bank.xlsx", out.getvalue())
    assert "100 MB" in refused.value.message.render()


def test_a_csv_beyond_the_row_cap_stops_with_a_message() -> None:
    with pytest.raises(TableError):
        read_table("units.csv", b"code,name\n" + b"a,b\n" * 100_001)
