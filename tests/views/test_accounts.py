"""Accounts: password change and reset, roles, unit administrators' scope, personal data."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from contest.models import Attempt, AuditEntry, Body, User
from contest.services.people.accounts import create_user
from tests.factories import add_member, first_body
from tests.helpers import csrf_token, take_round


def _client_for(app, phone: str, password: str = "mat-khau-123"):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.post("/login", data={"phone": phone, "password": password, "csrf_token": csrf_token(client)})
    return client


def _post(client, url: str, **data):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


@pytest.fixture
def people(app, session, clock, quiz):  # type: ignore[no-untyped-def]
    """Roles around the quiz's unit tree: P (root) > P-A (the quiz user), P-B."""
    unit_a = quiz.unit
    unit_b = unit_a.parent.children[1]
    for phone, role, unit, managed in (
        ("0900000001", "organizer", None, None),
        ("0900000002", "admin", None, None),
        ("0900000003", "unit_admin", unit_a, unit_a),
        ("0911000401", "participant", unit_b, None),
    ):
        user = create_user(
            session,
            name=f"Vai trò {role}",
            phone=phone,
            password="mat-khau-123",
            role="participant",
            unit=unit,
            now=clock(),
        )
        user.role, user.managed_unit = role, managed
        if role == "organizer":
            add_member(session, first_body(session, clock()), user, "manager", clock())
    session.commit()
    return {"quiz": quiz, "unit_a": unit_a, "unit_b": unit_b}


def test_password_change_ends_other_sessions(app, people, session) -> None:
    quiz = people["quiz"]
    other_device = _client_for(app, "0912345678")
    body = quiz.start().get_json()
    answer = {"options": [body["questions"][0]["options"][0]["id"]]}
    url = f"/api/attempts/{body['attempt_id']}/answers/1"
    saved = other_device.put(url, json=answer, headers={"X-CSRFToken": csrf_token(other_device)})
    assert saved.status_code == 200  # the same account on a second device saves answers...
    assert _post(quiz.client, "/account", action="password", current="sai", new="mat-khau-moi").status_code == 400
    assert _post(quiz.client, "/account", action="password", current="mat-khau-123", new="ngan").status_code == 400
    too_long = _post(quiz.client, "/account", action="password", current="mat-khau-123", new="x" * 201)
    assert too_long.status_code == 400 and "Mật khẩu dài tối đa 200 ký tự." in too_long.get_data(as_text=True)
    done = _post(quiz.client, "/account", action="password", current="mat-khau-123", new="mat-khau-moi")
    assert done.status_code == 302
    assert "Đăng xuất" in quiz.client.get("/").get_data(as_text=True)  # this device stays in
    assert "Đăng xuất" not in other_device.get("/").get_data(as_text=True)
    # ...until the password changes: the save checks the session's token in its own statement
    refused = other_device.put(url, json=answer, headers={"X-CSRFToken": csrf_token(other_device)})
    assert refused.status_code == 401 and refused.get_json()["error"] == "unauthorized"
    assert quiz.answer(body["attempt_id"], 1, answer["options"]).status_code == 200  # this device goes on
    assert "Đăng xuất" in _client_for(app, "0912345678", "mat-khau-moi").get("/").get_data(as_text=True)


def test_personal_data_download_and_deletion(app, people, session, client) -> None:
    quiz = people["quiz"]
    take_round(quiz.client, session, quiz.round.id, 5)
    data = json.loads(quiz.client.get("/account/data.json").data)
    assert data["phone"] == "0912345678" and data["name"] == "Nguyễn Văn An" and len(data["attempts"]) == 1
    assert data["attempts"][0]["started_from_address"] == "127.0.0.1"  # what the integrity flags keep is theirs
    assert _post(quiz.client, "/account", action="delete").status_code == 400  # not confirmed
    deleted = _post(quiz.client, "/account", action="delete", confirm="yes")
    assert deleted.status_code == 302
    user = session.get(User, quiz.user.id)
    session.refresh(user)
    assert user.name == "Người dùng đã xóa" and user.phone != "0912345678" and user.birth_date is None
    assert session.scalar(select(func.count(Attempt.id)).where(Attempt.user_id == user.id)) == 1
    kept = session.execute(select(Attempt.client_address, Attempt.device).where(Attempt.user_id == user.id)).one()
    assert tuple(kept) == (None, None)
    units = client.get(f"/api/rounds/{quiz.round.id}/units?parent=P").get_json()["entries"]
    assert {row["code"]: row["participants"] for row in units}["P-A"] == 1  # still counted for the unit
    board = client.get(f"/api/rounds/{quiz.round.id}/leaderboard").get_json()["entries"]
    assert [entry["name"] for entry in board] == ["Người dùng đã xóa"]  # in words, not masked to "Người d. đ. x."
    assert "Đăng xuất" not in _client_for(app, "0912345678").get("/").get_data(as_text=True)


def test_organizer_resets_a_password_and_a_participant_cannot(app, people, session) -> None:
    organizer = _client_for(app, "0900000001")
    quiz = people["quiz"]
    assert _post(quiz.client, f"/admin/users/{quiz.user.id}/reset").status_code == 403
    page = organizer.get("/admin/users?q=0912 345 678").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Người dự thi" in page
    response = _post(organizer, f"/admin/users/{quiz.user.id}/reset")
    text = organizer.get(response.headers["Location"]).get_data(as_text=True)
    temporary = re.search(r"Mật khẩu tạm thời mới của Nguyễn Văn An: ([0-9a-f-]+)\.", text).group(1)
    assert "Đăng xuất" in _client_for(app, "0912345678", temporary).get("/").get_data(as_text=True)
    admin_target = session.scalar(select(User).where(User.phone == "0900000002"))
    assert _post(organizer, f"/admin/users/{admin_target.id}/reset").status_code == 403


def test_only_admins_change_roles(app, people, session) -> None:
    target = session.scalar(select(User).where(User.phone == "0911000401"))
    organizer = _client_for(app, "0900000001")
    assert _post(organizer, f"/admin/users/{target.id}/role", role="admin").status_code == 403
    admin = _client_for(app, "0900000002")
    _post(admin, f"/admin/users/{target.id}/role", role="unit_admin", managed_unit="NOPE")
    session.refresh(target)
    assert target.role == "participant"
    _post(admin, f"/admin/users/{target.id}/role", role="unit_admin", managed_unit="P-B")
    session.refresh(target)
    assert target.role == "unit_admin" and target.managed_unit.code == "P-B"


def test_unit_admin_sees_only_their_subtree(app, people, session) -> None:
    quiz = people["quiz"]
    take_round(quiz.client, session, quiz.round.id, 5)
    admin = _client_for(app, "0900000003")
    page = admin.get("/unit/").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "0912345678" in page
    assert "Vai trò participant" not in page  # the member of the sibling unit P-B
    assert "Đã dự thi: 1 trên 1 thành viên đã đăng ký" in page
    missing = admin.get("/unit/?show=missing").get_data(as_text=True)
    assert "Nguyễn Văn An" not in missing
    sibling = session.scalar(select(User).where(User.phone == "0911000401"))
    assert _post(admin, f"/unit/users/{sibling.id}/reset").status_code == 403
    assert _post(admin, f"/unit/users/{quiz.user.id}/reset").status_code == 302
    sheet = load_workbook(io.BytesIO(admin.get("/unit/members.xlsx").data)).active
    first = next(sheet.iter_rows(min_row=2, values_only=True))
    assert first[:4] == ("Nguyễn Văn An", "0912345678", "Sở P-A", "Có")
    export = session.scalar(select(AuditEntry).where(AuditEntry.action == "members.export"))
    assert export.target == "unit:P-A" and export.user.phone == "0900000003"  # the download is recorded


def test_roster_check_matches_staff_by_phone(app, people, session) -> None:
    admin = _client_for(app, "0900000003")
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Số điện thoại"])
    workbook.active.append(["Nguyễn Văn An", "+84 912 345 678"])
    workbook.active.append(["Người lạ", "0987000999"])
    workbook.active.append(["Ở đơn vị khác", "0911000401"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = admin.post(
        "/unit/roster",
        data={"file": (io.BytesIO(buffer.getvalue()), "ds.xlsx"), "csrf_token": csrf_token(admin)},
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert "Đã đăng ký, chưa thi" in text and text.count("Chưa đăng ký ở đơn vị này") == 2
    # the phone registered in another unit reads like any stranger's: the other unit's member is not revealed
    assert "Đăng ký ở đơn vị khác" not in text and "Vai trò participant" not in text
    unreadable = admin.post(
        "/unit/roster",
        data={"file": (io.BytesIO(b"not a workbook"), "ds.xlsx"), "csrf_token": csrf_token(admin)},
        content_type="multipart/form-data",
    )
    assert unreadable.status_code == 400 and "Location" not in unreadable.headers  # a page, not "Redirecting..."
    assert 'class="error"' in unreadable.get_data(as_text=True), unreadable.get_data(as_text=True)


def _protected_get_urls(app, session, round_id: int, method: str = "GET") -> list[str]:  # type: ignore[no-untyped-def]
    """Every route of the organizer and unit-administrator areas for `method`, with real ids filled in."""
    from contest.models import Question, QuestionBank, Unit

    bank = session.scalar(select(QuestionBank))
    values = {
        "round_id": round_id,
        "bank_id": bank.id,
        "question_id": session.scalar(select(Question.id)),
        "code": session.scalar(select(Unit.code)),
        "upload_id": 999_999,
        "user_id": 1,
        "slug": "cds",
        "attempt_id": 1,
        "request_id": 1,
        "body_id": session.scalar(select(Body.id)),
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("organizer", "unit_admin") and method in rule.methods:
            urls.append(rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1])
    return urls


def test_every_protected_page_checks_the_role(app, people, session) -> None:
    """Anonymous visitors are sent to log in; participants get 403 everywhere; unit administrators
    only reach their area; organizers and admins reach both (404 only for the missing upload)."""
    urls = _protected_get_urls(app, session, people["quiz"].round.id)
    assert len(urls) >= 12
    allowed = {
        None: set(),
        "0912345678": set(),
        "0900000003": {u for u in urls if u.startswith("/unit/")},
        "0900000001": set(urls),
        "0900000002": set(urls),
    }
    for phone, reachable in allowed.items():
        visitor = _client_for(app, phone) if phone else app.test_client()
        for url in urls:
            status = visitor.get(url).status_code
            if phone is None:
                assert status == 302, url
            elif url in reachable:
                needs_ranking = any(word in url for word in ("results", "winners", "certificates"))  # 409: not yet
                assert status in (200, 404 if "/uploads/" in url else 200, 409 if needs_ranking else 200), (
                    phone,
                    url,
                )
            else:
                assert status == 403, (phone, url)


def test_every_protected_write_checks_the_role_first(app, people, session) -> None:
    """Every POST of the organizer and unit-administrator areas: visitors are sent to log in and
    participants get 403, with a valid CSRF token, before any input is read; nothing changes."""
    from contest.models import AuditEntry

    urls = _protected_get_urls(app, session, people["quiz"].round.id, method="POST")
    assert len(urls) >= 20
    participant = _client_for(app, "0912345678")
    visitor = app.test_client()
    for url in urls:
        assert participant.post(url, data={"csrf_token": csrf_token(participant)}).status_code == 403, url
        assert visitor.post(url, data={"csrf_token": csrf_token(visitor)}).status_code == 302, url
    assert session.scalar(select(AuditEntry.id)) is None


def test_the_data_download_holds_answers_prediction_place_prize_and_disqualification(app, people, session) -> None:
    quiz = people["quiz"]
    take_round(quiz.client, session, quiz.round.id, 5, 42)
    attempt = session.scalar(select(Attempt).where(Attempt.user_id == quiz.user.id))
    attempt.disqualification_reason = "Làm bài hộ"
    session.commit()
    data = json.loads(quiz.client.get("/account/data.json").data)["attempts"][0]
    assert data["prediction"] == 42 and data["status"] == "submitted" and data["score"] == 5
    assert data["disqualification_reason"] == "Làm bài hộ"
    assert {"rank", "prize", "deadline", "duration_ms", "finished_by"} <= set(data)
    answers = data["answers"]
    assert len(answers) == quiz.round.question_count
    answered = [answer for answer in answers if answer["chosen"]]
    assert answered and all(answer["question"].startswith("Câu hỏi") for answer in answers)
    assert all(text.startswith("Phương án") for answer in answered for text in answer["chosen"])
    assert "correct" not in json.dumps(answers)  # the key is not handed out through the download
    quiz.round.review = "never"  # a round that never shows its questions back: neither does the download
    session.commit()
    data = json.loads(quiz.client.get("/account/data.json").data)["attempts"][0]
    assert data["answers"] is None and data["score"] == 5


def test_staff_cannot_delete_their_own_account_and_the_log_keeps_who_acted(app, people, session) -> None:
    organizer = _client_for(app, "0900000001")
    page = _post(organizer, "/account", action="delete", confirm="yes")
    assert page.status_code == 400
    assert "Tài khoản cán bộ không tự xóa được" in page.get_data(as_text=True)
    user = session.scalar(select(User).where(User.phone == "0900000001"))
    session.refresh(user)
    assert user.name == "Vai trò organizer" and user.anonymised_at is None
    # an entry the organizer made keeps their name even when the account is renamed later
    _post(organizer, f"/admin/users/{people['quiz'].user.id}/reset")
    user.name = "Tên khác"
    session.commit()
    admin = _client_for(app, "0900000002")
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert "Vai trò organizer" in log
    entry = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.actor_name == "Vai trò organizer"


def test_a_deleted_account_leaves_the_live_board_at_once(board_redis, app, people, session, client) -> None:
    quiz = people["quiz"]
    take_round(quiz.client, session, quiz.round.id, 5)
    assert board_redis.hlen(f"board:{quiz.round.id}:info") == 1  # the board is read from Redis
    board = client.get(f"/api/rounds/{quiz.round.id}/leaderboard").get_json()["entries"]
    assert [entry["name"] for entry in board] == ["Nguyễn V. A."]
    _post(quiz.client, "/account", action="delete", confirm="yes")
    board = client.get(f"/api/rounds/{quiz.round.id}/leaderboard").get_json()["entries"]
    assert "Nguyễn V. A." not in str(board) and len(board) == 1


def test_a_name_corrected_by_an_organizer_shows_on_the_live_board_at_once(
    board_redis, app, people, session, client
) -> None:
    """People announce the rename; the ranking, listening, renames the person on the live boards of open rounds."""
    quiz = people["quiz"]
    take_round(quiz.client, session, quiz.round.id, 5)
    assert board_redis.hlen(f"board:{quiz.round.id}:info") == 1
    organizer = _client_for(app, "0900000001")
    user = session.get(User, quiz.user.id)
    corrected = _post(
        organizer,
        f"/admin/users/{user.id}/profile",
        name="Trần Thị Bích",
        unit=user.unit.code,
        category=user.category or "citizen",
    )
    assert corrected.status_code == 302
    session.expire_all()
    assert session.get(User, quiz.user.id).name == "Trần Thị Bích"
    board = client.get(f"/api/rounds/{quiz.round.id}/leaderboard").get_json()["entries"]
    assert [entry["name"] for entry in board] == ["Trần T. B."]
    assert board_redis.hlen(f"board:{quiz.round.id}:info") == 1  # still read from Redis, not rebuilt


def test_a_unit_admin_corrects_their_peoples_details_until_the_first_attempt(app, people, session, clock) -> None:
    quiz = people["quiz"]
    admin = _client_for(app, "0900000003")
    newcomer = create_user(
        session,
        name="Tran thi bich",
        phone="0911000777",
        password="mat-khau-123",
        role="participant",
        unit=people["unit_a"],
        now=clock(),
    )
    newcomer.category = "citizen"
    session.commit()
    url = f"/unit/people/{newcomer.id}/details"
    assert "Tran thi bich" in admin.get("/unit/").get_data(as_text=True) and url in admin.get("/unit/").get_data(
        as_text=True
    )
    page = admin.get(url).get_data(as_text=True)
    assert 'value="Tran thi bich"' in page and 'name="unit"' not in page  # name and category; the unit stays
    assert admin.post(url, data={"name": "Trần Thị Bích", "category": "civil_servant"}).status_code == 400  # CSRF
    empty = _post(admin, url, name="", category="civil_servant")
    assert empty.status_code == 400 and "Vui lòng nhập họ và tên" in empty.get_data(as_text=True)
    saved = _post(admin, url, name="Trần  Thị Bích", category="civil_servant")
    assert saved.status_code == 302
    session.expire_all()
    corrected = session.get(User, newcomer.id)
    assert (corrected.name, corrected.category, corrected.unit_id) == (
        "Trần Thị Bích",
        "civil_servant",
        people["unit_a"].id,
    )
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.target == f"user:{newcomer.id}").order_by(AuditEntry.id.desc())
    )
    assert entry.action == "user.profile" and entry.after["name"] == "Trần Thị Bích"

    sibling = session.scalar(select(User).where(User.phone == "0911000401"))  # in P-B, outside P-A
    assert admin.get(f"/unit/people/{sibling.id}/details").status_code == 404
    assert _post(admin, f"/unit/people/{sibling.id}/details", name="X Y", category="citizen").status_code == 404

    take_round(quiz.client, session, quiz.round.id, 5)  # the quiz user has taken part: only organizers now
    refused = _post(admin, f"/unit/people/{quiz.user.id}/details", name="Người Khác", category="citizen")
    assert refused.status_code == 200 and "chỉ Ban Tổ chức" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, quiz.user.id).name == "Nguyễn Văn An"
