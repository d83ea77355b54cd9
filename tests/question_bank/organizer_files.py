"""A corpus of question files built the way organizers and Moodle users really write them, each with the reading it
must give (questions: text, options with the right ones marked, topic) or the problems it must give (by row or line,
with a word the message must hold). `python -m tests.question_bank.organizer_files DIR` writes them out, to open
in Excel or LibreOffice; the tests read them straight from memory."""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.worksheet.worksheet import Worksheet

HEADER = ["STT", "Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D", "Đáp án", "Chủ đề", "Mức độ"]

# An expected question: (text as stored, [(option as stored, right)], topic)
Expected = tuple[str, list[tuple[str, bool]], str]


@dataclass
class Case:
    name: str
    build: Callable[[], bytes]
    questions: list[Expected] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (row or line, words the message holds)
    notices: list[str] = field(default_factory=list)  # words a notice holds


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, title: str, rows: list[list[object]], header: list[str] = HEADER) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return sheet


def _book() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    return workbook


def hidden_first_sheet() -> bytes:
    workbook = _book()
    old = _sheet(workbook, "Bản cũ", [[1, "Câu cũ?", "Sai", "Đúng", "", "", "A", "Cũ", "Dễ"]])
    old.sheet_state = "hidden"
    _sheet(workbook, "Bản mới", [[1, "Câu mới?", "Sai", "Đúng", "", "", "B", "Mới", "Dễ"]])
    workbook.active = 1
    return _save(workbook)


def one_sheet_per_topic() -> bytes:
    workbook = _book()
    _sheet(workbook, "Chính phủ số", [[1, "Câu một?", "Đúng", "Sai", "", "", "A", "Chính phủ số", "Dễ"]])
    _sheet(workbook, "Kinh tế số", [[1, "Câu hai?", "Sai", "Đúng", "", "", "B", "Kinh tế số", "Dễ"]])
    notes = workbook.create_sheet("Hướng dẫn")
    notes.append(["Điền mỗi câu hỏi trên một dòng."])
    return _save(workbook)


def hidden_row() -> bytes:
    workbook = _book()
    sheet = _sheet(
        workbook,
        "Câu hỏi",
        [
            [1, "Câu giữ lại?", "Đúng", "Sai", "", "", "A", "T", "Dễ"],
            [2, "Câu đã rút?", "Đúng", "Sai", "", "", "A", "T", "Dễ"],
        ],
    )
    sheet.row_dimensions[3].hidden = True
    return _save(workbook)


def section_column_before_question() -> bytes:
    workbook = _book()
    header = ["STT", "Nội dung", "Câu hỏi", "Phương án A", "Phương án B", "Đáp án"]
    _sheet(workbook, "Câu hỏi", [[1, "Phần I", "Câu một?", "Đúng", "Sai", "A"]], header)
    return _save(workbook)


def merged_topic_and_official_heading() -> bytes:
    workbook = _book()
    sheet = workbook.create_sheet("Ngân hàng")
    sheet.append(["UBND TỈNH BÌNH THUẬN"])
    sheet.append(["SỞ KHOA HỌC VÀ CÔNG NGHỆ", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("E2:I2")
    sheet.append([])
    sheet.append(["NGÂN HÀNG CÂU HỎI CUỘC THI TÌM HIỂU VỀ CHUYỂN ĐỔI SỐ NĂM 2026"])
    sheet.merge_cells("A4:I4")
    sheet.append(HEADER)
    sheet.append([1, "Câu một?", "Đúng", "Sai", "", "", "A", "Chính phủ số", "Dễ"])
    sheet.append([2, "Câu hai?", "Sai", "Đúng", "", "", "B", None, "Dễ"])
    sheet.append([3, "Câu ba?", "Sai", "Đúng", "", "", "B", None, "Khó"])
    sheet.merge_cells("H6:H8")
    return _save(workbook)


def merged_option_header() -> bytes:
    workbook = _book()
    sheet = workbook.create_sheet("Câu hỏi")
    sheet.append(["STT", "Câu hỏi", "Phương án", None, None, None, "Đáp án"])
    sheet.merge_cells("C1:F1")
    sheet.append([1, "Câu một?", "a", "b", "c", "d", "A"])
    return _save(workbook)


def numbers_as_shown() -> bytes:
    workbook = _book()
    sheet = _sheet(
        workbook,
        "Câu hỏi",
        [
            [1, "Tỷ lệ mục tiêu?", 1, 0, 0.5, 0.125, "A", "Số liệu", "Dễ"],
            [2, "Số hộ?", 1000000, 2500, 1.5, "x", "A", "Số liệu", "Dễ"],
            [3, "Số lạ?", 1.5, 2, "", "", "A", "Số liệu", "Dễ"],
        ],
    )
    for column, number_format in zip("CDEF", ("0%", "0%", "0%", "0.0%"), strict=True):
        sheet[f"{column}2"].number_format = number_format
    sheet["C3"].number_format = "#,##0"
    sheet["D3"].number_format = "#,##0"
    sheet["C4"].number_format = '0.000" triệu"'
    return _save(workbook)


def text_with_angle_brackets() -> bytes:
    workbook = _book()
    _sheet(
        workbook,
        "Câu hỏi",
        [[1, "Nếu x<y và y<z thì?", "x<z", "x>z", "<b>đậm</b>", "Tom & Jerry", "A", "Logic", "Dễ"]],
    )
    return _save(workbook)


def excel_formatting_in_a_cell() -> bytes:
    workbook = _book()
    sheet = _sheet(workbook, "Câu hỏi", [[1, None, "Đúng", "Sai", "", "", "A", "Hóa", "Dễ"]])
    sheet["B2"] = CellRichText(
        [
            "Công thức H",
            TextBlock(InlineFont(vertAlign="subscript"), "2"),
            "O là ",
            TextBlock(InlineFont(b=True), "nước"),
        ]
    )
    return _save(workbook)


def answer_as_option_text() -> bytes:
    workbook = _book()
    _sheet(
        workbook,
        "Câu hỏi",
        [
            [1, "Viết tắt của Cơ quan (Agency)?", "AC", "AG", "CA", "GA", "CA", "T", "Dễ"],
            [2, "Thủ đô?", "Huế", "Hà Nội", "", "", "Hà Nội", "T", "Dễ"],
            [3, "Chữ cái đầu?", "B", "A", "", "", "A", "T", "Dễ"],
        ],
    )
    return _save(workbook)


def gift_file(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


MOODLE_GIFT = """\
// Moodle's own examples (docs: GIFT format), as Moodle reads them
Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}

Grant is {~buried =entombed ~living} in Grant's tomb.

Grant is buried in Grant's tomb.{FALSE}

Who's buried in Grant's tomb?{=no one =nobody}

When was Ulysses S. Grant born?{#1822:5}

What two people are entombed in Grant's tomb? {
~%-100%No one
~%50%Grant
~%50%Grant's wife
~%-100%Grant's father
}
"""

PARTIAL_GIFT = """\
Half credit? {~wrong ~%50%half =full}

Either one? {=alpha =beta ~gamma}

Unequal weights? {~%70%a ~%30%b ~%-100%c}
"""

UNCLOSED_GIFT = """\
Missing its brace? {=yes ~no

Next question? {=right ~wrong}
"""

FORMATS_GIFT = """\
Nếu x<y và y<z thì? {=x<z ~x>z}

[plain]Plain <b>kept</b> & shown {=<i>a</i> ~b}

[html]<p>Một <b>đậm</b></p><p>Hai</p> {=<i>nghiêng</i> ~[plain]<u>thường</u>}

[markdown]Chữ **đậm** và *nghiêng* {=có ~không}
"""

AIKEN_AS_MOODLE = 'Câu có dấu <html class="cool">?\r\rA.Có\rB.Không\rANSWER: B.\r'


def zip_of_huge_pictures() -> bytes:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("1", (4_898, 4_898)).save(picture, format="PNG", optimize=True)
    workbook = _book()
    header = [*HEADER, "Ảnh", "Mô tả ảnh"]
    rows: list[list[object]] = [
        [n, f"Ảnh {n}?", "Đúng", "Sai", "", "", "A", "T", "Dễ", f"anh{n}.png", "Mô tả"] for n in range(1, 31)
    ]
    _sheet(workbook, "Câu hỏi", rows, header)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("cau-hoi.xlsx", _save(workbook))
        for n in range(1, 31):
            out.writestr(f"anh{n}.png", picture.getvalue())
    return archive.getvalue()


def cells_without_coordinates() -> bytes:
    """A small workbook whose sheet XML unpacks to millions of cells without coordinates."""
    cells = "<c><v>1</v></c>" * 400_000
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/>'
        f"<sheetData><row>{cells}</row></sheetData></worksheet>"
    )
    return _replace_sheet(sheet)


def merged_to_the_last_row() -> bytes:
    """A staff-list-sized sheet whose thousands of merged ranges each reach Excel's last row."""
    merges = "".join(f'<mergeCell ref="A{n}:A1048576"/>' for n in range(2, 6_002))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c></row></sheetData>'
        f'<mergeCells count="6000">{merges}</mergeCells></worksheet>'
    )
    return _replace_sheet(sheet)


def gift_of_trailing_breaks() -> bytes:
    return ("[html]Câu hỏi" + "<br> " * 60 + "x {=a ~b}\n").encode()


def broken_sheet_xml() -> bytes:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B2"/>'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c></row><row r="2"><c r="A2"'
    )
    return _replace_sheet(sheet)


def _replace_sheet(sheet_xml: str) -> bytes:
    workbook = _book()
    _sheet(workbook, "Câu hỏi", [[1, "Câu?", "a", "b", "", "", "A", "T", "Dễ"]])
    source = zipfile.ZipFile(io.BytesIO(_save(workbook)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet_xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


def corrupt_zip_stream() -> bytes:
    data = bytearray(hidden_row())
    start = data.find(b"xl/worksheets/sheet1.xml") + 40
    data[start : start + 60] = bytes(60)  # inside the deflated sheet: the stream no longer inflates
    return bytes(data)


CASES: list[Case] = [
    Case(
        "hidden-first-sheet.xlsx",
        hidden_first_sheet,
        [("Câu mới?", [("Sai", False), ("Đúng", True)], "Mới")],
        notices=['"Bản cũ"'],
    ),
    Case(
        "one-sheet-per-topic.xlsx",
        one_sheet_per_topic,
        [
            ("Câu một?", [("Đúng", True), ("Sai", False)], "Chính phủ số"),
            ("Câu hai?", [("Sai", False), ("Đúng", True)], "Kinh tế số"),
        ],
        notices=['"Hướng dẫn"'],
    ),
    Case("hidden-row.xlsx", hidden_row, problems=[(3, "hidden")]),
    Case("section-before-question.xlsx", section_column_before_question, problems=[(1, '"Nội dung" (B)')]),
    Case(
        "merged-topic.xlsx",
        merged_topic_and_official_heading,
        [
            ("Câu một?", [("Đúng", True), ("Sai", False)], "Chính phủ số"),
            ("Câu hai?", [("Sai", False), ("Đúng", True)], "Chính phủ số"),
            ("Câu ba?", [("Sai", False), ("Đúng", True)], "Chính phủ số"),
        ],
    ),
    Case("merged-option-header.xlsx", merged_option_header, problems=[(1, "C1:F1")]),
    Case(
        "numbers.xlsx",
        numbers_as_shown,
        problems=[(4, '"0.000" triệu""')],
    ),
    Case(
        "angle-brackets.xlsx",
        text_with_angle_brackets,
        [
            (
                "Nếu x&lt;y và y&lt;z thì?",
                [("x&lt;z", True), ("x&gt;z", False), ("&lt;b&gt;đậm&lt;/b&gt;", False), ("Tom &amp; Jerry", False)],
                "Logic",
            )
        ],
    ),
    Case(
        "formatting-in-a-cell.xlsx",
        excel_formatting_in_a_cell,
        [("Công thức H<sub>2</sub>O là <b>nước</b>", [("Đúng", True), ("Sai", False)], "Hóa")],
    ),
    Case("answer-as-option-text.xlsx", answer_as_option_text, problems=[(2, "CA"), (4, "option B")]),
    Case(
        "moodle-examples.gift",
        gift_file(MOODLE_GIFT),
        [
            ("Who's buried in Grant's tomb?", [("Grant", False), ("Jefferson", False), ("no one", True)], ""),
            ("Grant is _____ in Grant's tomb.", [("buried", False), ("entombed", True), ("living", False)], ""),
            ("Grant is buried in Grant's tomb.", [("Đúng", False), ("Sai", True)], ""),
            (
                "What two people are entombed in Grant's tomb?",
                [("No one", False), ("Grant", True), ("Grant's wife", True), ("Grant's father", False)],
                "",
            ),
        ],
    ),
    Case("partial-credit.gift", gift_file(PARTIAL_GIFT), problems=[(1, "50%"), (3, "2"), (5, "70%")]),
    Case("unclosed.gift", gift_file(UNCLOSED_GIFT), problems=[(1, '"{"')]),
    Case(
        "formats.gift",
        gift_file(FORMATS_GIFT),
        [
            ("Nếu x&lt;y và y&lt;z thì?", [("x&lt;z", True), ("x&gt;z", False)], ""),
            ("Plain &lt;b&gt;kept&lt;/b&gt; &amp; shown", [("&lt;i&gt;a&lt;/i&gt;", True), ("b", False)], ""),
            ("Một <b>đậm</b><br>Hai", [("<i>nghiêng</i>", True), ("&lt;u&gt;thường&lt;/u&gt;", False)], ""),
            ("Chữ <strong>đậm</strong> và <em>nghiêng</em>", [("có", True), ("không", False)], ""),
        ],
    ),
    Case(
        "aiken-as-moodle.txt",
        gift_file(AIKEN_AS_MOODLE),
        [('Câu có dấu &lt;html class="cool"&gt;?', [("Có", False), ("Không", True)], "")],
    ),
]

HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("huge-pictures.zip", zip_of_huge_pictures, "million"),
    ("cells-without-coordinates.xlsx", cells_without_coordinates, "cells"),
    ("broken-sheet-xml.xlsx", broken_sheet_xml, "broken"),
    ("merged-to-the-last-row.xlsx", merged_to_the_last_row, "merged ranges"),
    ("corrupt-zip-stream.xlsx", corrupt_zip_stream, "broken"),
]


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "organizer-files")
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in [*((case.name, case.build) for case in CASES), *((n, b) for n, b, _ in HOSTILE)]:
        (folder / name).write_bytes(build())
        print(folder / name)
