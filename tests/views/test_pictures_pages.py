"""Pictures as participants and organizers meet them (#18 item 3): uploaded in a zip through the organizer's page,
refused by row, drawn into an attempt, shown with their size and description and loaded lazily, served from
their digest with a long cache life; the bank page exports them back."""

from __future__ import annotations

import html
import io
import re
import zipfile

from sqlalchemy import func, select

from contest.models import Picture, Question, Unit
from tests.helpers import csrf_token, organizer_client, participant_client
from tests.question_bank.test_pictures import png, question, workbook, zipped

ALT = "Ảnh chụp tin nhắn có mã OTP"


def _bank_zip() -> bytes:
    rows = [question(n, f"Câu hỏi có ảnh số {n}?", f"images/anh-{n}.png", f"{ALT} {n}") for n in range(1, 6)]
    files = {f"images/anh-{n}.png": png(300 + n, 200, f"#{n}0{n}0{n}0") for n in range(1, 6)}
    return zipped({"cau-hoi.xlsx": workbook(rows), **files})


def _upload(client, data: bytes, name: str = "cau-hoi.zip"):
    return client.post(
        "/admin/banks/upload",
        data={"file": (io.BytesIO(data), name), "bank_name": "Có ảnh", "csrf_token": csrf_token(client)},
        content_type="multipart/form-data",
    )


def test_an_organizer_uploads_a_zip_and_a_participant_sees_its_pictures(app, session, clock, runner) -> None:
    organizer = organizer_client(app, session, clock)
    preview = _upload(organizer, _bank_zip())
    assert preview.status_code == 302
    report = organizer.get(preview.headers["Location"]).get_data(as_text=True)
    assert f'alt="{ALT} 1"' in report and "/pictures/" in report  # the pictures shown before anything is imported
    confirmed = organizer.post(preview.headers["Location"] + "/confirm", data={"csrf_token": csrf_token(organizer)})
    assert confirmed.status_code == 302
    assert session.scalar(select(func.count(Picture.id))) == 5
    bank_page = organizer.get(f"/admin/banks/{session.scalar(select(Question.bank_id))}").get_data(as_text=True)
    assert f'alt="{ALT} 1"' in bank_page

    runner.invoke(args=["units", "import", "contest/demo_data/units.csv"])
    runner.invoke(args=["contest", "create", "--slug", "anh", "--title", "Có ảnh"])
    created = runner.invoke(
        args=["round", "create", "--contest", "anh", "--name", "Tuần 1", "--opens", "2026-01-01T00:00",
              "--closes", "2027-01-01T00:00", "--questions", "5", "--minutes", "10", "--bank", "Có ảnh"]
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    round_id = int(created.output.split()[-1])
    unit = session.scalar(select(Unit).where(Unit.code == "HBX-SKHCN"))
    client = participant_client(app, session, clock, "0912345678", unit, "Nguyễn Văn Bình")
    body = client.post(f"/api/rounds/{round_id}/attempts", headers={"X-CSRFToken": csrf_token(client)}).get_json()
    pictures = [q["picture"] for q in body["questions"]]
    assert all(p["url"].startswith("/pictures/") and p["alt"].startswith(ALT) for p in pictures)
    assert {(p["width"], p["height"]) for p in pictures} == {(300 + n, 200) for n in range(1, 6)}
    assert "correct" not in str(body)

    page = client.get(f"/rounds/{round_id}/take").get_data(as_text=True)
    tags = re.findall(r"<img [^>]*>", page)
    assert len(tags) == 5
    for tag in tags:
        assert 'loading="lazy"' in tag and 'width="30' in tag and 'height="200"' in tag and f'alt="{ALT}' in tag
    # the text of the first question comes before its picture
    assert page.index("Câu hỏi có ảnh số") < page.index("<img ")

    served = client.get(pictures[0]["url"])
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert app.test_client().get(pictures[0]["url"]).status_code == 200  # public, like the page's other files
    assert client.get("/pictures/" + "0" * 64 + ".webp").status_code == 404
    assert client.get("/pictures/../../etc.webp").status_code == 404

    export = organizer.get(f"/admin/banks/{session.scalar(select(Question.bank_id))}/export.zip")
    with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
        names = archive.namelist()
    assert "ngan-hang-cau-hoi.xlsx" in names and sum(name.startswith("images/") for name in names) == 5


def test_an_upload_with_a_bad_picture_reports_its_row_and_imports_nothing(app, session, clock) -> None:
    organizer = organizer_client(app, session, clock)
    rows = [
        question(1, "Tốt?", "a.png", "Mô tả"),
        question(2, "Thiếu mô tả?", "a.png", ""),
        question(3, "Không phải ảnh?", "b.png", "Mô tả"),
    ]
    data = zipped({"q.xlsx": workbook(rows), "a.png": png(), "b.png": b"GIF89a not really"})
    preview = _upload(organizer, data)
    page = organizer.get(preview.headers["Location"]).get_data(as_text=True)
    report = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
    assert "Có 2 lỗi" in report
    assert " 3 thiếu mô tả ảnh" in report and ' 4 ảnh "b.png": không đọc được ảnh' in report
    refused = organizer.post(preview.headers["Location"] + "/confirm", data={"csrf_token": csrf_token(organizer)})
    assert refused.status_code in (302, 400)
    assert session.scalar(select(func.count(Question.id))) == 0
    assert session.scalar(select(func.count(Picture.id))) == 0


def test_the_demo_practice_shows_pictures_with_their_descriptions(runner, client) -> None:
    runner.invoke(args=["demo"])
    for _attempt in range(20):
        address = client.get("/contests/cds-2026/practice/new").headers["Location"]
        for number in range(1, 11):
            page = client.get(f"{address[:-1]}{number}").get_data(as_text=True)
            tags = re.findall(r"<img [^>]*>", page)
            if tags:
                assert all('alt="' in tag and 'loading="lazy"' in tag and "width=" in tag for tag in tags)
                source = re.search(r'src="([^"]+)"', tags[0]).group(1)
                assert client.get(source).mimetype == "image/webp"
                return
    raise AssertionError("no practice question showed a picture in 20 sets")


def _imported_question(app, session, clock):  # type: ignore[no-untyped-def]
    """An organizer's client, the first question of the picture bank they imported, and its edit form as it stands."""
    organizer = organizer_client(app, session, clock)
    preview = _upload(organizer, _bank_zip())
    organizer.post(preview.headers["Location"] + "/confirm", data={"csrf_token": csrf_token(organizer)})
    question = session.scalar(select(Question).order_by(Question.id))
    form = {
        "text": question.text,
        "option_a": "Có",
        "option_b": "Không",
        "answer": "A",
        "topic": question.topic,
        "difficulty": question.difficulty,
    }
    return organizer, question, form


def test_an_organizer_corrects_a_pictures_description_but_cannot_empty_it(app, session, clock) -> None:
    organizer, question, form = _imported_question(app, session, clock)
    page = organizer.get(f"/admin/questions/{question.id}/edit").get_data(as_text=True)
    assert f"{ALT} 1" in page and 'name="picture_alt"' in page
    form = {**form, "explanation": "", "csrf_token": csrf_token(organizer)}
    refused = organizer.post(f"/admin/questions/{question.id}/edit", data={**form, "picture_alt": "  "})
    assert refused.status_code == 400 and "thiếu mô tả ảnh" in html.unescape(refused.get_data(as_text=True))
    saved = organizer.post(f"/admin/questions/{question.id}/edit", data={**form, "picture_alt": "Tin nhắn có mã OTP"})
    assert saved.status_code == 302
    session.refresh(question)
    assert question.picture_alt == "Tin nhắn có mã OTP" and question.picture is not None


def test_the_preview_names_a_picture_placed_over_a_cell(app, session, clock) -> None:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as SheetImage

    from tests.question_bank.test_pictures import PICTURE_HEADER

    organizer = organizer_client(app, session, clock)
    book = Workbook()
    sheet = book.active
    sheet.append(PICTURE_HEADER)
    sheet.append(question(1, "Biểu tượng trong ảnh là gì?", "", "Một hình vuông đỏ"))
    sheet.add_image(SheetImage(io.BytesIO(png(80, 60, "#c00"))), "K2")
    out = io.BytesIO()
    book.save(out)
    preview = _upload(organizer, out.getvalue(), "nhung-anh.xlsx")
    page = html.unescape(organizer.get(preview.headers["Location"]).get_data(as_text=True))
    assert "Ảnh đặt trên ô: Một hình vuông đỏ" in page


def test_an_organizer_replaces_pictures_and_gives_an_option_one_on_the_edit_page(app, session, clock) -> None:
    """The edit page shows the question's and the options' pictures, replaces them and adds one to an option (with
    its description); a file that is not a picture is refused beside its field, changing nothing; a new picture
    is a new key to check."""
    organizer, question, form = _imported_question(app, session, clock)
    question.review_state = "checked"
    session.commit()
    old_digest = question.picture.digest
    form = {**form, "picture_alt": f"{ALT} 1"}
    url = f"/admin/questions/{question.id}/edit"
    page = organizer.get(url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="picture_file"' in page and 'name="picture_file_b"' in page

    def post(**files):  # type: ignore[no-untyped-def]
        data = {**form, **files, "csrf_token": csrf_token(organizer)}
        return organizer.post(url, data=data, content_type="multipart/form-data")

    broken = post(picture_file=(io.BytesIO(b"not a picture"), "anh.png"))
    assert broken.status_code == 400 and 'id="picture_file-error"' in broken.get_data(as_text=True)
    session.expire_all()
    assert session.get(Question, question.id).picture.digest == old_digest
    no_description = post(picture_file_b=(io.BytesIO(png(320, 200, "#aa3300")), "b.png"))
    assert no_description.status_code == 400 and 'id="picture_alt_b-error"' in no_description.get_data(as_text=True)
    saved = post(
        picture_file=(io.BytesIO(png(400, 300, "#004488")), "moi.png"),
        picture_file_b=(io.BytesIO(png(320, 200, "#aa3300")), "b.png"),
        picture_alt_b="Biểu tượng khóa màu đỏ",
    )
    assert saved.status_code == 302
    session.expire_all()
    edited = session.get(Question, question.id)
    option_b = next(option for option in edited.options if option.letter == "B")
    assert edited.picture.digest != old_digest and edited.picture_alt == f"{ALT} 1"  # the description kept
    assert option_b.picture is not None and option_b.picture_alt == "Biểu tượng khóa màu đỏ"
    assert edited.review_state == "unchecked"  # a new picture is a new key to check
    page = organizer.get(url).get_data(as_text=True)
    assert f"/pictures/{option_b.picture.digest}.webp" in page and 'value="Biểu tượng khóa màu đỏ"' in page
