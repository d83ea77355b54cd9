"""Organizer pages for question banks: upload, report, confirm, browse, edit, deactivate, export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from contest.models import AttemptItem, Question, QuestionBank
from contest.services.quiz.pool import load_pool
from tests.factories import make_attempt, make_bank, make_contest, make_round, make_user
from tests.helpers import DEMO_DATA, csrf_token
from tests.question_bank.conftest import row, xlsx_bytes


@pytest.fixture
def organizer(session, clock, auth):
    user = make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    auth.login("0900000001")
    return user


def _upload(client, data: bytes, name: str = "bank.xlsx", bank: str = "CĐS", **extra):
    form = {
        "file": (io.BytesIO(data), name),
        "bank_name": bank,
        "file_format": "auto",
        "csrf_token": csrf_token(client),
    }
    form.update(extra)
    return client.post("/admin/banks/upload", data=form, content_type="multipart/form-data")


def _count(session) -> int:
    return session.scalar(select(func.count(Question.id)))


def test_bank_pages_need_an_organizer(client, auth, session, clock) -> None:
    assert client.get("/admin/banks").status_code == 302
    assert "/login" in client.get("/admin/banks").headers["Location"]
    make_user(session, clock(), phone="0912345678")
    session.commit()
    auth.login("0912345678")
    assert client.get("/admin/banks").status_code == 403
    assert client.get("/admin/").status_code == 403


def test_upload_report_and_confirm_the_sample_bank(client, session, organizer) -> None:
    response = _upload(client, (DEMO_DATA / "sample_bank.xlsx").read_bytes(), "sample_bank.xlsx")
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "120 câu hỏi sẵn sàng để nhập." in page
    assert "Kinh tế số" in page and "Nhập 120 câu hỏi" in page
    # every row can be checked before importing, 20 a page
    assert "Câu 1-20 trong 120" in page and "Trang 1 / 6" in page
    last = client.get(response.headers["Location"] + "?page=6").get_data(as_text=True)
    assert "Câu 101-120 trong 120" in last and "dòng 121" in last.lower()
    assert _count(session) == 0
    confirm_url = response.headers["Location"] + "/confirm"
    confirmed = client.post(confirm_url, data={"csrf_token": csrf_token(client)})
    assert confirmed.status_code == 302
    assert _count(session) == 120
    bank = session.scalar(select(QuestionBank))
    detail = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert bank.name == "CĐS" and "Đã nhập 120 câu hỏi vào ngân hàng CĐS." in detail
    assert "120 câu hỏi" in detail
    # the staged upload is gone: confirming twice imports nothing more
    assert client.post(confirm_url, data={"csrf_token": csrf_token(client)}).status_code == 404
    assert _count(session) == 120


def test_a_broken_file_is_reported_by_row_and_imports_nothing(client, session, organizer) -> None:
    data = xlsx_bytes([row(1, "Câu tốt?"), row(2, "", answer="A"), row(3, "Câu ba?", options=("x",))])
    response = _upload(client, data)
    preview = client.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 422
    assert "Có 2 lỗi" in page
    assert "<td>dòng 3</td><td>cột &#34;Câu hỏi&#34;: thiếu nội dung câu hỏi</td>" in page
    assert "cần ít nhất 2 phương án, mới có 1" in page
    assert 'href="/admin/banks#upload-title">Tải lên tệp đã sửa</a>' in page  # straight back to the upload form
    english = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "<td>row 3</td><td>column &#34;Câu hỏi&#34;: the question text is missing</td>" in english
    assert "at least 2 options are needed, there are 1" in english
    assert "Nhập " not in page.split("<main")[1].split("</main>")[0].replace("Nhập vào", "")
    # confirming anyway is refused and changes nothing
    client.post(response.headers["Location"] + "/confirm", data={"csrf_token": csrf_token(client)})
    assert _count(session) == 0
    fixed = _upload(client, xlsx_bytes([row(1, "Câu tốt?"), row(2, "Câu hai?"), row(3, "Câu ba?")]))
    client.post(fixed.headers["Location"] + "/confirm", data={"csrf_token": csrf_token(client)})
    assert _count(session) == 3


def test_upload_form_errors_and_csrf(client, session, organizer) -> None:
    no_file = client.post("/admin/banks/upload", data={"bank_name": "X", "csrf_token": csrf_token(client)})
    assert no_file.status_code == 400 and "Vui lòng chọn tệp." in no_file.get_data(as_text=True)
    pdf = _upload(client, b"%PDF", name="bank.pdf")
    assert pdf.status_code == 400 and ".xlsx, .csv, .gift" in pdf.get_data(as_text=True)
    no_token = client.post(
        "/admin/banks/upload",
        data={"file": (io.BytesIO(b"x"), "a.csv"), "bank_name": "X"},
        content_type="multipart/form-data",
    )
    assert no_token.status_code == 400


def test_uploaded_script_never_reaches_the_page(client, session, organizer) -> None:
    data = xlsx_bytes(
        [row(1, "<script>alert('x')</script>Câu <b>đậm</b>?", options=("<img src=x onerror=alert(1)>A", "B"))]
    )
    preview = client.get(_upload(client, data).headers["Location"]).get_data(as_text=True)
    # typed in a cell, tags are text: shown as typed, escaped, never run (and never cut away in silence)
    assert "<script>alert" not in preview and "<img src=x" not in preview and "<b>đậm" not in preview
    assert "&lt;script&gt;alert('x')&lt;/script&gt;Câu &lt;b&gt;đậm&lt;/b&gt;?" in preview
    assert "&lt;img src=x onerror=alert(1)&gt;A" in preview


def test_discard_removes_the_upload(client, session, organizer) -> None:
    location = _upload(client, xlsx_bytes([row(1, "Câu?")])).headers["Location"]
    client.post(location + "/discard", data={"csrf_token": csrf_token(client)})
    assert client.get(location).status_code == 404
    assert _count(session) == 0


def test_another_organizer_cannot_see_my_upload(client, auth, session, clock, organizer) -> None:
    location = _upload(client, xlsx_bytes([row(1, "Câu?")])).headers["Location"]
    auth.logout()
    make_user(session, clock(), phone="0900000009", role="organizer")
    session.commit()
    auth.login("0900000009")
    assert client.get(location).status_code == 404


def _bank_with_questions(session, clock):
    bank = make_bank(session, clock(), questions=6)
    session.commit()
    return bank


def test_search_and_filters(client, session, clock, organizer) -> None:
    bank = _bank_with_questions(session, clock)
    page = client.get(f"/admin/banks/{bank.id}?text=số 3").get_data(as_text=True)
    assert "Câu hỏi số 3?" in page and "Câu hỏi số 4?" not in page
    hard = client.get(f"/admin/banks/{bank.id}?difficulty=hard").get_data(as_text=True)
    assert "Câu hỏi số 3?" in hard and "Câu hỏi số 6?" in hard and "Câu hỏi số 1?" not in hard


def test_edit_changes_the_bank_but_not_attempts_already_drawn(client, session, clock, organizer) -> None:
    bank = _bank_with_questions(session, clock)
    question = bank.questions[0]
    snapshot = {
        "text": question.text,
        "multiple": False,
        "options": [{"id": o.id, "text": o.text, "correct": o.is_correct} for o in question.options],
    }
    round_ = make_round(session, make_contest(session, clock()), clock(), bank=bank)
    attempt = make_attempt(session, round_, organizer, clock(), total=1)
    session.add(AttemptItem(attempt=attempt, position=1, question_id=question.id, snapshot=snapshot))
    session.commit()
    form = {
        "text": "Câu hỏi đã sửa?",
        "option_a": "Một",
        "option_b": "Hai",
        "option_c": "Ba",
        "option_d": "",
        "option_e": "",
        "option_f": "",
        "answer": "b, c",
        "topic": "Mới",
        "difficulty": "hard",
        "explanation": "Vì thế.",
        "csrf_token": csrf_token(client),
    }
    response = client.post(f"/admin/questions/{question.id}/edit", data=form)
    assert response.status_code == 302
    session.expire_all()
    edited = session.get(Question, question.id)
    assert edited.text == "Câu hỏi đã sửa?" and edited.multiple and edited.difficulty == "hard"
    assert [(o.letter, o.text, o.is_correct) for o in edited.options] == [
        ("A", "Một", False),
        ("B", "Hai", True),
        ("C", "Ba", True),
    ]
    item = session.scalar(select(AttemptItem))
    assert item.snapshot == snapshot


def test_edit_refuses_bad_answers_and_duplicates(client, session, clock, organizer) -> None:
    bank = _bank_with_questions(session, clock)
    first, second = bank.questions[0], bank.questions[1]
    base = {
        "option_a": "Phương án 0",
        "option_b": "Phương án 1",
        "option_c": "Phương án 2",
        "option_d": "Phương án 3",
        "option_e": "",
        "option_f": "",
        "topic": "",
        "difficulty": "easy",
        "explanation": "",
    }
    bad = client.post(
        f"/admin/questions/{first.id}/edit",
        data={**base, "text": "Mới?", "answer": "E", "csrf_token": csrf_token(client)},
    )
    assert bad.status_code == 400 and "phải ứng với một phương án có nội dung" in bad.get_data(as_text=True)
    duplicate = client.post(
        f"/admin/questions/{first.id}/edit",
        data={**base, "text": second.text, "answer": "A", "csrf_token": csrf_token(client)},
    )
    assert duplicate.status_code == 400
    assert f"Câu hỏi {second.id} trong ngân hàng này có cùng nội dung" in duplicate.get_data(as_text=True)
    session.expire_all()
    assert session.get(Question, first.id).text == "Câu hỏi số 1?"


def test_deactivated_questions_are_not_drawn(client, session, clock, organizer) -> None:
    bank = _bank_with_questions(session, clock)
    question = bank.questions[0]
    client.post(f"/admin/questions/{question.id}/active", data={"active": "0", "csrf_token": csrf_token(client)})
    session.expire_all()
    assert not session.get(Question, question.id).active
    assert question.id not in load_pool(session, bank).matching(None, None)
    client.post(f"/admin/questions/{question.id}/active", data={"active": "1", "csrf_token": csrf_token(client)})
    session.expire_all()
    assert question.id in load_pool(session, bank).matching(None, None)


def test_export_downloads_the_bank_as_xlsx(client, session, organizer) -> None:
    location = _upload(client, (DEMO_DATA / "sample_bank.xlsx").read_bytes()).headers["Location"]
    client.post(location + "/confirm", data={"csrf_token": csrf_token(client)})
    bank = session.scalar(select(QuestionBank))
    response = client.get(f"/admin/banks/{bank.id}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.max_row == 121 and sheet["B2"].value == "Ba trụ cột của chuyển đổi số quốc gia là gì?"


def test_the_bank_page_shows_twenty_questions_a_page_with_its_filters(app, session, clock, runner, client) -> None:
    from contest.models import User

    runner.invoke(args=["demo"])
    assert session.scalar(select(User.id).where(User.phone == "0900000001")) is not None
    client.post("/login", data={"phone": "0900000001", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    page = client.get("/admin/banks/1").get_data(as_text=True)
    assert "Trang 1 / 3" in page  # this week's bank of the demo: 60 questions, 20 a page
    easy = client.get("/admin/banks/1?difficulty=easy&page=2").get_data(as_text=True)
    assert "Trang 2 / 2" in easy and "difficulty=easy" in easy  # the filter is kept from page to page


def test_the_edit_page_keeps_text_as_text_and_formatting_as_formatting(client, session, clock, organizer) -> None:
    bank = _bank_with_questions(session, clock)
    plain, formatted = bank.questions[0], bank.questions[1]
    plain.text = "Nếu x&lt;y thì?"  # as an import stores "Nếu x<y thì?" typed in a cell
    formatted.text = "H<sub>2</sub>O là <b>nước</b>?"  # as an import stores Excel's subscript and bold runs
    session.commit()
    page = client.get(f"/admin/questions/{plain.id}/edit").get_data(as_text=True)
    assert "Nếu x&lt;y thì?</textarea>" in page  # the organizer reads "x<y", not "x&lt;y"
    base = {
        "option_a": "a<b",
        "option_b": "Phương án 1",
        "option_c": "",
        "option_d": "",
        "option_e": "",
        "option_f": "",
        "answer": "A",
        "topic": "",
        "difficulty": "easy",
        "explanation": "",
    }
    saved = client.post(
        f"/admin/questions/{plain.id}/edit",
        data={**base, "text": "Nếu a<b và b<c thì?", "csrf_token": csrf_token(client)},
    )
    assert saved.status_code == 302
    session.refresh(plain)
    assert plain.text == "Nếu a&lt;b và b&lt;c thì?"  # kept whole, shown as typed
    assert plain.options[0].text == "a&lt;b"
    page = client.get(f"/admin/questions/{formatted.id}/edit").get_data(as_text=True)
    assert "H&lt;sub&gt;2&lt;/sub&gt;O là &lt;b&gt;nước&lt;/b&gt;?</textarea>" in page  # its HTML, to keep or change
    client.post(
        f"/admin/questions/{formatted.id}/edit",
        data={**base, "text": "H<sub>2</sub>O là <b>nước</b> <script>x</script>?", "csrf_token": csrf_token(client)},
    )
    session.refresh(formatted)
    assert formatted.text == "H<sub>2</sub>O là <b>nước</b> ?"  # formatting kept, anything unsafe removed
