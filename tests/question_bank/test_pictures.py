"""Pictures in questions and options (#18 item 3): a zip of the workbook (columns Ảnh / Mô tả ảnh, Ảnh A / Mô tả
ảnh A, ...) and its pictures, pictures placed over the workbook's cells, GIFT <img> in a zip; each picture checked
(type, size, dimensions) and re-encoded, its description required; every problem by its row, nothing imported."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image

from question_bank.export import write_bank_zip
from question_bank.readers import read_questions
from tests.question_bank.conftest import HEADER
from tests.question_bank.vietnamese import vi

PICTURE_HEADER = [*HEADER, "Ảnh", "Mô tả ảnh", "Ảnh A", "Mô tả ảnh A", "Ảnh B", "Mô tả ảnh B"]


def png(width: int = 400, height: int = 300, color: str = "#1f4e8c") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def workbook(rows: list[list[object]], header: list[str] = PICTURE_HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def question(number: int, text: str, picture: str = "", alt: str = "", **options: str) -> list[object]:
    return [
        number,
        text,
        options.get("a", "Có"),
        options.get("b", "Không"),
        "",
        "",
        "A",
        "An toàn thông tin",
        "Dễ",
        "",
        picture,
        alt,
        options.get("picture_a", ""),
        options.get("alt_a", ""),
        options.get("picture_b", ""),
        options.get("alt_b", ""),
    ]


def test_a_zip_brings_pictures_of_questions_and_options_shrunk_and_described() -> None:
    rows = [
        question(1, "Ảnh chụp màn hình nào?", "images/man-hinh.png", "Màn hình Cổng Dịch vụ công"),
        question(
            2,
            "Biểu tượng nào là ổ khóa?",
            a="",
            b="Không có",
            picture_a="o-khoa.PNG",  # any case, any folder: found by its name
            alt_a="Biểu tượng ổ khóa",
        ),
    ]
    data = zipped(
        {
            "ngan-hang.xlsx": workbook(rows),
            "images/man-hinh.png": png(2000, 1000),
            "images/o-khoa.png": png(64, 64, "#000"),
        }
    )
    result = read_questions("ngan-hang.zip", data)
    assert result.problems == []
    first, second = result.questions
    assert first.image is not None and (first.image.image.width, first.image.image.height) == (960, 480)
    assert Image.open(io.BytesIO(first.image.image.data)).format == "WEBP"
    assert first.image.alt == "Màn hình Cổng Dịch vụ công"
    assert second.options[0].text == "" and second.options[0].image.alt == "Biểu tượng ổ khóa"  # a picture option
    assert second.image is None and second.options[1].image is None


def test_every_bad_picture_is_named_by_its_row_and_nothing_is_kept() -> None:
    rows = [
        question(1, "Không có mô tả?", "images/a.png", ""),
        question(2, "Tệp không có trong zip?", "images/khong-co.png", "Mô tả"),
        question(3, "Không phải ảnh?", "images/gia.png", "Mô tả"),
        question(4, "Quá lớn?", "images/dai.png", "Mô tả"),
        question(5, "SVG?", "images/ve.svg", "Mô tả"),
        question(6, "Ảnh của phương án thiếu mô tả?", picture_b="images/a.png", b="Không"),
        question(7, "Câu tốt", "images/a.png", "Một hình vuông xanh"),
    ]
    files = {
        "cau-hoi.xlsx": workbook(rows),
        "images/a.png": png(),
        "images/gia.png": b"not a picture at all",
        "images/dai.png": png(7000, 20),
        "images/ve.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    }
    result = read_questions("cau-hoi.zip", zipped(files))
    said = {problem.line: vi(problem.message) for problem in result.problems}
    assert "thiếu mô tả ảnh" in said[2]
    assert "không có tệp này trong tệp .zip" in said[3] and "images/khong-co.png" in said[3]
    assert "không đọc được" in said[4]
    assert "7000 x 20" in said[5]
    assert "không đọc được" in said[6] or "PNG, JPEG, GIF" in said[6]
    assert "phương án B" in said[7] and "thiếu mô tả ảnh" in said[7]
    assert [q.line for q in result.questions] == [8]  # the import takes all or nothing: it refuses


def test_a_picture_named_without_its_zip_says_how_to_upload_it() -> None:
    result = read_questions("cau-hoi.xlsx", workbook([question(1, "Ảnh?", "images/a.png", "Mô tả")]))
    assert "tải tệp câu hỏi và các ảnh lên cùng nhau trong một tệp .zip" in vi(result.problems[0].message)
    assert result.problems[0].line == 2


def test_a_picture_placed_over_a_cell_of_the_workbook_belongs_to_its_row() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(PICTURE_HEADER)
    sheet.append(question(1, "Biểu tượng trong ảnh là gì?", "", "Biểu tượng một hình vuông đỏ"))
    sheet.append(question(2, "Câu không có ảnh", "", ""))
    picture = SheetImage(io.BytesIO(png(120, 80, "#c00")))
    sheet.add_image(picture, "K2")  # column "Ảnh", row 2
    out = io.BytesIO()
    book.save(out)
    result = read_questions("nhung-anh.xlsx", out.getvalue())
    assert result.problems == []
    first, second = result.questions
    assert first.image is not None and (first.image.image.width, first.image.image.height) == (120, 80)
    assert first.image.alt == "Biểu tượng một hình vuông đỏ" and second.image is None


def test_gift_html_pictures_come_from_the_same_zip() -> None:
    gift = (
        '::Q1::[html]Ứng dụng có biểu tượng này là gì? <img src="@@PLUGINFILE@@/bieu-tuong.png" alt="Biểu tượng '
        'VNeID"> {=VNeID ~Zalo}\n\n'
        # inside the answers "=" is escaped, as Moodle writes it
        '::Q2::[html]Chọn ổ khóa {=<img src\\="images/o-khoa.png" alt\\="Ổ khóa"> '
        '~<img src\\="images/x.png" alt\\="Dấu x">}\n\n'
        '::Q3::[html]Không mô tả <img src="images/o-khoa.png"> {=Có ~Không}\n'
    )
    files = {
        "cau-hoi.gift": gift.encode(),
        "bieu-tuong.png": png(),
        "images/o-khoa.png": png(50, 50),
        "images/x.png": png(50, 60),
    }
    result = read_questions("cau-hoi.zip", zipped(files))
    assert [q.line for q in result.questions] == [1, 3]
    first, second = result.questions
    assert first.image.alt == "Biểu tượng VNeID" and "<img" not in first.text
    assert [o.image.alt for o in second.options] == ["Ổ khóa", "Dấu x"] and second.options[0].correct
    assert [p.line for p in result.problems] == [5] and "thiếu mô tả ảnh" in vi(result.problems[0].message)
    alone = read_questions("cau-hoi.gift", gift.encode())
    assert {p.line for p in alone.problems} == {1, 3, 5}


def test_the_same_text_over_two_pictures_is_two_questions_and_a_zip_export_reads_back() -> None:
    rows = [
        question(1, "Đây là biểu tượng của ứng dụng nào?", "xanh.png", "Hình vuông xanh"),
        question(2, "Đây là biểu tượng của ứng dụng nào?", "do.png", "Hình vuông đỏ"),
    ]
    files = {"q.xlsx": workbook(rows), "xanh.png": png(color="#00f"), "do.png": png(color="#f00")}
    result = read_questions("q.zip", zipped(files))
    assert result.problems == [] and len(result.questions) == 2
    out = io.BytesIO()
    write_bank_zip(result.questions, out)
    back = read_questions("xuat.zip", out.getvalue())
    assert back.problems == []
    assert [q.fingerprint() for q in back.questions] == [q.fingerprint() for q in result.questions]
    assert [q.image.alt for q in back.questions] == ["Hình vuông xanh", "Hình vuông đỏ"]


def test_a_zip_must_hold_one_question_file_and_stay_within_bounds() -> None:
    two = read_questions("hai.zip", zipped({"a.xlsx": workbook([]), "b.csv": b"x"}))
    assert "đúng một tệp câu hỏi" in vi(two.problems[0].message) and "a.xlsx, b.csv" in vi(two.problems[0].message)
    none = read_questions("anh.zip", zipped({"a.png": png()}))
    assert "đúng một tệp câu hỏi" in vi(none.problems[0].message)
    broken = read_questions("hong.zip", b"PK\x03\x04 broken")
    assert "Không mở được tệp .zip" in vi(broken.problems[0].message)


def test_what_an_upload_cannot_hide_in_a_picture_or_a_zip() -> None:
    from question_bank.gift_export import write_gift
    from question_bank.images import prepare_image

    # a WebP carrying a chunk of another kind is re-encoded: only pixels reach participants
    clean = io.BytesIO()
    Image.new("RGB", (40, 30), "#123").save(clean, format="WEBP")
    chunk = b"XSCR" + (12).to_bytes(4, "little") + b"<script>1</s"
    body = clean.getvalue()[12:] + chunk
    dirty = b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WEBP" + body
    assert b"<script>" not in prepare_image(dirty).data
    assert prepare_image(clean.getvalue()).data == clean.getvalue()  # a clean one is kept: exports read back the same
    # a zip made with a password, and a workbook declaring far more than it holds, are refused plainly
    protected = bytearray(zipped({"q.csv": b"x", "a.png": png()}))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # mark a.png's headers "encrypted"
        at = protected.rfind(signature)
        protected[at + flags_at] |= 0x1
    said = vi(read_questions("q.zip", bytes(protected)).problems[0].message)
    assert "mật khẩu" in said
    bloated = io.BytesIO()
    with zipfile.ZipFile(bloated, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(workbook([question(1, "Câu?")]))) as source:
            for item in source.infolist():
                archive.writestr(item, source.read(item))
        archive.writestr("xl/drawings/drawing1.xml", b" " * 101_000_000)
    said = vi(read_questions("q.xlsx", bloated.getvalue()).problems[0].message)
    assert "giải nén" in said or "100 MB" in said
    # an alt text holding ">" stays whole; a line break in a topic does not start a GIFT question
    _text, found = __import__("question_bank.pictures", fromlist=["split_images"]).split_images(
        '<img src="a.png" alt="Mũi tên -> nút Gửi">'
    )
    assert found == [("a.png", "Mũi tên -> nút Gửi")]
    rows = read_questions("q.xlsx", workbook([question(1, "C:\\new\\x?")])).questions
    rows[0].topic = "Chủ đề\n::Chèn:: Câu chèn {=x ~y}"
    back = __import__("question_bank.gift", fromlist=["read_gift"]).read_gift(write_gift(rows))
    assert len(back.questions) == 1 and back.questions[0].text == "C:\\new\\x?"


def test_two_pictures_over_one_cell_are_reported() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(PICTURE_HEADER)
    sheet.append(question(1, "Hai ảnh?", "", "Mô tả"))
    for color in ("#c00", "#0c0"):
        sheet.add_image(SheetImage(io.BytesIO(png(60, 40, color))), "K2")
    out = io.BytesIO()
    book.save(out)
    result = read_questions("hai-anh.xlsx", out.getvalue())
    assert [p.line for p in result.problems] == [2] and "chỉ giữ lại một ảnh" in vi(result.problems[0].message)
