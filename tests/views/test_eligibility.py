"""Who may take part (#14 hole 11): anyone, only phones on their unit's staff list, or on the unit admin's
approval. Checked when an attempt starts, whatever the door (API or page)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from contest.models import Attempt, AuditEntry, JoinRequest, StaffListEntry, User
from contest.services.people.accounts import create_user
from tests.factories import add_member, first_body
from tests.helpers import csrf_token


def _client_for(app, phone: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.post("/login", data={"phone": phone, "password": "mat-khau-123", "csrf_token": csrf_token(client)})
    return client


def _post(client, url: str, **data):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


@pytest.fixture
def staff(app, session, clock, quiz):  # type: ignore[no-untyped-def]
    """The quiz's unit P-A with its admin, the unit above it (P) with its own, and an organizer."""
    unit_a, root = quiz.unit, quiz.unit.parent
    for phone, role, managed in (
        ("0900000003", "unit_admin", unit_a),
        ("0900000004", "unit_admin", root.children[1]),  # the admin of P-B, another unit
        ("0900000001", "organizer", None),
    ):
        user = create_user(session, name=f"Cán bộ {phone[-1]}", phone=phone, password="mat-khau-123", now=clock())
        user.role, user.managed_unit = role, managed
        if role == "organizer":
            add_member(session, first_body(session, clock()), user, "manager", clock())
    session.commit()
    return quiz


def _roster(*rows: tuple[str, str]) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Số điện thoại"])
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _upload(client, rows, keep: bool = True):  # type: ignore[no-untyped-def]
    data = {"file": (_roster(*rows), "can-bo.xlsx"), "csrf_token": csrf_token(client)}
    if keep:
        data["keep"] = "y"
    return client.post("/unit/roster", data=data, content_type="multipart/form-data")


def test_a_staff_list_contest_takes_only_listed_phones(app, staff, session) -> None:
    quiz = staff
    quiz.round.contest.eligibility = "staff_list"
    session.commit()
    refused = quiz.start()
    assert refused.status_code == 403 and "chưa có trong danh sách" in refused.get_json()["message"]
    page = quiz.client.get("/contests/cds").get_data(as_text=True)
    assert "chưa có trong danh sách của đơn vị" in page

    admin = _client_for(app, "0900000003")
    bad = _upload(admin, [("Nguyễn Văn An", "0912345678"), ("Lỗi", "12345")])
    assert bad.status_code == 400 and "dòng 3: “12345” không phải số điện thoại" in bad.get_data(as_text=True)
    assert session.scalar(select(func.count(StaffListEntry.id))) == 0
    checked_only = _upload(admin, [("Nguyễn Văn An", "0912 345 678")], keep=False)
    assert checked_only.status_code == 200 and session.scalar(select(func.count(StaffListEntry.id))) == 0
    kept = _upload(admin, [("Nguyễn Văn An", "+84 912 345 678"), ("Trần B", "0987000111")])
    assert kept.status_code == 200 and "hiện có 2 số điện thoại" in kept.get_data(as_text=True)
    assert quiz.start().status_code == 201
    assert "có trong danh sách của đơn vị: bạn được dự thi" in quiz.client.get("/contests/cds").get_data(as_text=True)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "staff_list.save"))
    assert entry.after == {"file": "can-bo.xlsx", "phones": 2} and entry.target == "unit:P-A"


def test_a_list_of_a_unit_above_counts_and_another_units_does_not(app, staff, session) -> None:
    quiz = staff
    quiz.round.contest.eligibility = "staff_list"
    session.commit()
    other_admin = _client_for(app, "0900000004")  # P-B's admin lists the phone of a P-A member
    _upload(other_admin, [("Nguyễn Văn An", "0912345678")])
    assert quiz.start().status_code == 403
    organizer = _client_for(app, "0900000001")  # the province's list (P, above P-A)
    response = organizer.post(
        "/unit/roster?unit=P",
        data={"file": (_roster(("Nguyễn Văn An", "0912345678")), "tinh.xlsx"), "keep": "y",
              "csrf_token": csrf_token(organizer)},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 200
    assert quiz.start().status_code == 201


def test_an_approval_contest_takes_part_after_the_unit_admin_approves(app, staff, session) -> None:
    quiz = staff
    quiz.round.contest.eligibility = "approval"
    session.commit()
    assert "cần được phê duyệt" in quiz.start().get_json()["message"]
    assert quiz.client.post("/contests/cds/join").status_code == 400  # no CSRF token: refused
    assert session.scalar(select(func.count(JoinRequest.id))) == 0
    asked = _post(quiz.client, "/contests/cds/join")
    assert asked.status_code == 302
    _post(quiz.client, "/contests/cds/join")  # asking twice makes one request
    assert session.scalar(select(func.count(JoinRequest.id))) == 1
    assert "đang chờ quản trị đơn vị phê duyệt" in quiz.start().get_json()["message"]
    request_id = session.scalar(select(JoinRequest.id))

    other_admin = _client_for(app, "0900000004")  # P-B's admin neither sees nor decides a P-A member's request
    assert "Nguyễn Văn An" not in other_admin.get("/unit/requests").get_data(as_text=True)
    assert _post(other_admin, f"/unit/requests/{request_id}", decision="approve").status_code == 404
    assert quiz.client.get("/unit/requests").status_code == 403  # a participant is no administrator

    admin = _client_for(app, "0900000003")
    listed = admin.get("/unit/requests").get_data(as_text=True)
    assert "Nguyễn Văn An" in listed and "Đang chờ" in listed
    assert _post(admin, f"/unit/requests/{request_id}", decision="maybe").status_code == 400
    assert _post(admin, f"/unit/requests/{request_id}", decision="refuse").status_code == 302
    assert "không được chấp thuận" in quiz.start().get_json()["message"]
    assert _post(admin, f"/unit/requests/{request_id}", decision="approve").status_code == 302
    assert quiz.start().status_code == 201
    decisions = session.scalars(select(AuditEntry).where(AuditEntry.action == "join.decide")).all()
    assert [entry.after["status"] for entry in decisions] == ["refused", "approved"]
    assert session.scalar(select(func.count(Attempt.id))) == 1


def test_the_organizer_sets_who_may_take_part_on_the_contest_form(app, staff, session) -> None:
    organizer = _client_for(app, "0900000001")
    form = organizer.get("/admin/contests/cds/edit").get_data(as_text=True)
    assert "Đối tượng được dự thi" in form and "không được xác minh qua SMS" in form
    data = {"title": "Thi CĐS", "scope": "P-A", "rules": "", "names": "masked", "unit_ranking": "rate"}
    refused = _post(organizer, "/admin/contests/cds/edit", **data, eligibility="friends")
    assert refused.status_code == 400
    saved = _post(organizer, "/admin/contests/cds/edit", **data, eligibility="staff_list")
    assert saved.status_code == 302
    contest = staff.round.contest
    session.refresh(contest)
    assert contest.eligibility == "staff_list"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "contest.edit"))
    assert entry.before["eligibility"] == "anyone" and entry.after["eligibility"] == "staff_list"


def test_an_open_contest_asks_nothing(staff, session) -> None:
    assert staff.round.contest.eligibility == "anyone"
    assert staff.start().status_code == 201
    assert session.scalar(select(func.count(User.id))) == 4


def test_the_command_line_sets_who_may_take_part(runner, staff, session) -> None:
    result = runner.invoke(args=["contest", "configure", "--slug", "cds", "--eligibility", "approval"])
    assert result.exit_code == 0, result.output
    assert "who may take part: approval" in result.output
    assert "cần được phê duyệt" in staff.start().get_json()["message"]
    bad = runner.invoke(args=["contest", "configure", "--slug", "cds", "--eligibility", "friends"])
    assert bad.exit_code == 2 and "friends" in bad.output
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "contest.configure"))
    assert entry.before["eligibility"] == "anyone" and entry.after["eligibility"] == "approval"
