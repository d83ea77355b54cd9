"""Organizers keep the unit tree in the browser: import, edit, move."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from contest.models import Unit
from tests.factories import make_user
from tests.helpers import DEMO_DATA, csrf_token


@pytest.fixture
def organizer(client, session, clock, auth):  # type: ignore[no-untyped-def]
    make_user(session, clock(), phone="0900000001", role="organizer")
    session.commit()
    auth.login("0900000001")
    return client


def _upload(client, data: bytes, name: str = "units.csv", lang: str = "vi"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/admin/units/upload?lang={lang}",
        data={"file": (io.BytesIO(data), name), "csrf_token": csrf_token(client)},
        content_type="multipart/form-data",
    )


def test_import_then_edit_and_move(organizer, session) -> None:
    assert _upload(organizer, (DEMO_DATA / "units.csv").read_bytes()).status_code == 302
    assert session.scalar(select(func.count(Unit.id))) == 50
    page = organizer.get("/admin/units?q=y te").get_data(as_text=True)
    assert "Sở Y tế" in page
    form = {
        "name": "Sở Y tế tỉnh",
        "kind": "department",
        "headcount": "90",
        "parent_code": "HBX-SNV",
        "csrf_token": csrf_token(organizer),
    }
    assert organizer.post("/admin/units/HBX-SYT", data=form).status_code == 302
    unit = session.scalar(select(Unit).where(Unit.code == "HBX-SYT"))
    session.refresh(unit)
    assert (unit.name, unit.headcount, unit.parent.code, unit.depth) == ("Sở Y tế tỉnh", 90, "HBX-SNV", 2)
    too_long = organizer.post("/admin/units/HBX-SYT", data={**form, "name": "Sở " * 100})
    assert too_long.status_code == 400 and "Tên đơn vị dài tối đa 255 ký tự." in too_long.get_data(as_text=True)
    session.refresh(unit)
    assert unit.name == "Sở Y tế tỉnh"


def test_a_parent_units_headcount_is_worked_out_unless_set_by_hand(organizer, session) -> None:
    """Sở Nội vụ: its own 30 plus its offices (40, 28, 30); the page says which, and the organizer may set it."""
    _upload(organizer, (DEMO_DATA / "units.csv").read_bytes())
    page = organizer.get("/admin/units/HBX-SNV").get_data(as_text=True)
    assert "Chỉ tiêu đang dùng: 128 người, tính tự động" in page
    form = {"name": "Sở Nội vụ", "kind": "department", "staff": "35", "headcount": "", "parent_code": "HBX"}
    assert organizer.post("/admin/units/HBX-SNV", data={**form, "csrf_token": csrf_token(organizer)}).status_code == 302
    unit = session.scalar(select(Unit).where(Unit.code == "HBX-SNV"))
    session.refresh(unit)
    assert (unit.staff, unit.headcount, unit.headcount_override) == (35, 133, None)
    by_hand = {**form, "headcount": "300", "csrf_token": csrf_token(organizer)}
    assert organizer.post("/admin/units/HBX-SNV", data=by_hand).status_code == 302
    page = organizer.get("/admin/units/HBX-SNV").get_data(as_text=True)
    assert "Chỉ tiêu đang dùng: 300 người, do ban tổ chức nhập (nếu tính tự động sẽ là 133)" in page


def test_bad_unit_file_is_reported_and_changes_nothing(organizer, session) -> None:
    response = _upload(organizer, b"code,parent_code,name,kind,headcount\nA,NOPE,Mot,commune,5\n")
    assert response.status_code == 422
    assert "dòng 2: không tìm thấy đơn vị cấp trên &#39;NOPE&#39;" in response.get_data(as_text=True)
    english = _upload(organizer, b"code,parent_code,name,kind,headcount\nA,NOPE,Mot,commune,5\n", lang="en")
    assert "row 2: no parent unit has the code &#39;NOPE&#39;" in english.get_data(as_text=True)
    assert session.scalar(select(func.count(Unit.id))) == 0


def test_a_unit_cannot_move_under_its_own_unit(organizer, session) -> None:
    _upload(organizer, (DEMO_DATA / "units.csv").read_bytes())
    form = {
        "name": "Tỉnh",
        "kind": "province",
        "headcount": "1",
        "parent_code": "HBX-SYT",
        "csrf_token": csrf_token(organizer),
    }
    response = organizer.post("/admin/units/HBX", data=form)
    assert response.status_code == 400
    assert session.scalar(select(Unit).where(Unit.code == "HBX")).parent is None
    bad = organizer.post("/admin/units/HBX-SYT", data={**form, "parent_code": "", "headcount": "-4"})
    assert bad.status_code == 400


def test_units_pages_need_an_organizer(client, session, clock, auth) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    auth.login("0912345678")
    assert client.get("/admin/units").status_code == 403
    assert _upload(client, b"x").status_code == 403


def test_unit_edit_without_csrf_token_changes_nothing(organizer, session) -> None:
    _upload(organizer, (DEMO_DATA / "units.csv").read_bytes())
    response = organizer.post("/admin/units/HBX-SYT", data={"name": "Khác", "kind": "department", "headcount": "1"})
    assert response.status_code == 400
    assert session.scalar(select(Unit.name).where(Unit.code == "HBX-SYT")) == "Sở Y tế"


def test_a_unit_name_longer_than_kept_is_a_row_problem_and_a_long_file_name_is_fine(organizer, session) -> None:
    header = b"code,parent_code,name,kind,headcount\n"
    too_long = _upload(organizer, header + ("P1,,Tỉnh " + "A" * 260 + ",province,10\n").encode())
    assert too_long.status_code == 422 and "tên đơn vị dài quá 255 ký tự" in too_long.get_data(as_text=True)
    assert session.scalar(select(func.count(Unit.id))) == 0
    fine = _upload(organizer, header + "P1,,Tỉnh A,province,10\n".encode(), name="don-vi-" + "x" * 200 + ".csv")
    assert fine.status_code == 302 and session.scalar(select(func.count(Unit.id))) == 1  # the audit keeps 120 chars


def test_a_refused_file_is_a_page_with_its_problem_not_a_bare_redirect(organizer) -> None:
    """A 4xx answer is a page that says what is wrong (a redirect sent with 400 showed "Redirecting...")."""
    missing = organizer.post("/admin/units/upload", data={"csrf_token": csrf_token(organizer)})
    assert missing.status_code == 400 and "Location" not in missing.headers
    assert "Vui lòng chọn tệp." in missing.get_data(as_text=True)
    unreadable = _upload(organizer, b"\x00\x01 not a spreadsheet", name="units.xlsx")
    assert unreadable.status_code == 400 and "Location" not in unreadable.headers
    assert 'class="error"' in unreadable.get_data(as_text=True)


def test_a_unit_file_is_taken_with_every_suffix_the_reader_reads(organizer, session) -> None:
    """The upload form takes what read_table reads (and the CLI takes): .txt is CSV text."""
    response = _upload(organizer, b"code,parent_code,name,kind,headcount\nT1,,Tinh T,province,10\n", name="units.txt")
    assert response.status_code == 302 and session.scalar(select(Unit).where(Unit.code == "T1")) is not None
