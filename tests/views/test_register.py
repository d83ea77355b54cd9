"""Registration: page (with and without JavaScript) and API, unit picker, consent, one account per phone."""

from __future__ import annotations

import html
import re
import threading

import pytest
from sqlalchemy import func, select

from contest.models import User
from contest.models.users import CATEGORIES
from contest.services.people.registration import CATEGORY_LABELS
from tests.helpers import DEMO_DATA, csrf_token


@pytest.fixture
def units(runner):
    assert runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")]).exit_code == 0


def _form(client, **values):
    data = {
        "name": "Trần Thị Bình",
        "phone": "0987 654 321",
        "password": "mat-khau-123",
        "birth_date": "02/09/1990",
        "category": "civil_servant",
        "unit_code": "HBX-SYT",
        "consent": "y",
        "action": "register",
        "csrf_token": csrf_token(client),
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def _users(session) -> int:
    return session.scalar(select(func.count(User.id)))


def test_every_category_has_a_label() -> None:
    assert set(CATEGORY_LABELS) == set(CATEGORIES)


def test_register_page_finds_units_without_javascript_then_registers(client, session, clock, units) -> None:
    page = client.get("/register")
    assert page.status_code == 200 and "Đăng ký dự thi" in page.get_data(as_text=True)
    found = client.post("/register", data=_form(client, action="search", unit_q="so y te", unit_code=None))
    text = found.get_data(as_text=True)
    assert found.status_code == 200 and 'value="HBX-SYT"' in text and "Sở Y tế" in text
    assert 'value="Trần Thị Bình"' in text  # what was typed is kept
    assert _users(session) == 0
    done = client.post("/register", data=_form(client))
    assert done.status_code == 302
    user = session.scalar(select(User))
    assert (user.name, user.phone, user.unit.code, user.category) == (
        "Trần Thị Bình",
        "0987654321",
        "HBX-SYT",
        "civil_servant",
    )
    assert user.birth_date.isoformat() == "1990-09-02" and user.consent_at == clock()
    assert user.registered_address == "127.0.0.1" and len(user.registered_device) == 16  # for the integrity flags
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)


def test_register_reports_every_field_in_vietnamese_and_creates_nothing(client, session, units) -> None:
    response = client.post(
        "/register",
        data=_form(
            client, name="", phone="12345", password="ngan", unit_code="", consent=None, birth_date="31/02/1990"
        ),
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in (
        "Vui lòng nhập họ và tên.",
        "Vui lòng nhập số điện thoại Việt Nam",
        "ít nhất 8 ký tự",
        "Vui lòng chọn đơn vị",
        "Vui lòng nhập ngày sinh",
        "đồng ý",
    ):
        assert message in text, message
    assert _users(session) == 0


def test_one_account_per_phone_whatever_its_format(client, session, units) -> None:
    assert client.post("/register", data=_form(client)).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    again = client.post("/register", data=_form(client, phone="+84987654321", name="Người khác"))
    assert again.status_code == 400 and "Số điện thoại này đã được đăng ký." in again.get_data(as_text=True)
    assert _users(session) == 1


def test_api_registers_and_logs_in(client, session, units) -> None:
    body = {
        "name": "Lê Văn Cường",
        "phone": "84912000111",
        "password": "mat-khau-123",
        "unit_code": "HBX-X01",
        "category": "citizen",
        "consent": True,
    }
    response = client.post("/api/participants", json=body, headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 201
    answer = response.get_json()
    token = answer.pop("csrf_token")
    assert answer == {"id": 1, "name": "Lê Văn Cường", "phone": "0912000111", "unit_code": "HBX-X01"}
    assert session.get(User, 1).consent_at is not None
    # the session was renewed with the login: the token in the answer is the one the next write needs
    written = client.put("/api/attempts/999/answers/1", json={"options": []}, headers={"X-CSRFToken": token})
    assert written.status_code == 404  # past the CSRF check: no such attempt
    stale = client.put("/api/attempts/999/answers/1", json={"options": []}, headers={"X-CSRFToken": "x" + token[1:]})
    assert stale.status_code == 400 and stale.get_json()["error"] == "csrf"


def test_api_field_errors(client, session, units) -> None:
    response = client.post(
        "/api/participants",
        json={"name": "A", "phone": "x", "password": "y", "unit_code": "NOPE"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code == 400
    assert set(response.get_json()["fields"]) == {"phone", "password", "unit_code", "category", "consent"}
    not_json = client.post(
        "/api/participants", data="[]", content_type="application/json", headers={"X-CSRFToken": csrf_token(client)}
    )
    assert not_json.status_code == 400
    assert _users(session) == 0


def test_unit_search_ignores_accents_and_case(client, units) -> None:
    entries = client.get("/api/units?q=SO KHOA hoc").get_json()["entries"]
    assert [entry["code"] for entry in entries] == ["HBX-SKHCN"]
    assert entries[0]["parent"] == "Tỉnh Hòa Bình Xanh"
    assert client.get("/api/units?q=hbx-x0&limit=5").get_json()["entries"][0]["code"].startswith("HBX-X0")
    assert client.get("/api/units?q=").get_json() == {"entries": [], "total": 0, "more": 0}
    assert client.get("/api/units?q=%25").get_json() == {"entries": [], "total": 0, "more": 0}


def test_registration_is_rate_limited(client, units) -> None:
    token = csrf_token(client)
    statuses = [
        client.post("/api/participants", json={}, headers={"X-CSRFToken": token}).status_code for _ in range(31)
    ]
    assert statuses[:30] == [400] * 30 and statuses[30] == 429


def test_simultaneous_registrations_of_one_phone_make_one_account(app, session, units) -> None:
    results: list[int] = []
    barrier = threading.Barrier(4)

    def register() -> None:
        with app.app_context():
            client = app.test_client()
            token = csrf_token(client)
            barrier.wait()
            body = {
                "name": "Đồng Thời",
                "phone": "0911222333",
                "password": "mat-khau-123",
                "unit_code": "HBX-SYT",
                "category": "worker",
                "consent": True,
            }
            results.append(client.post("/api/participants", json=body, headers={"X-CSRFToken": token}).status_code)

    threads = [threading.Thread(target=register) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [201, 400, 400, 400]
    assert session.scalar(select(func.count(User.id)).where(User.phone == "0911222333")) == 1


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x.example","Nhấn")', "+84 Nguyễn", "-Lan", "@Minh"])
def test_a_name_that_a_spreadsheet_would_run_is_refused(client, session, units, name: str) -> None:
    body = {
        "name": name,
        "phone": "0912000222",
        "password": "mat-khau-123",
        "unit_code": "HBX-X01",
        "category": "citizen",
        "consent": True,
    }
    response = client.post("/api/participants", json=body, headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 400 and "name" in response.get_json()["fields"]
    assert session.scalar(select(User.id)) is None


@pytest.mark.parametrize("body", ["false", "[1, 2]", '"text"', '{"name": [1, 2]}'])
def test_a_json_body_sent_to_a_page_is_refused_not_a_server_error(client, body) -> None:
    """Flask-WTF would read it as the form: a body that is not an object broke the page (a 500, found by the fuzz)."""
    response = client.post(
        "/register", data=body, content_type="application/json", headers={"X-CSRFToken": csrf_token(client)}
    )
    assert response.status_code == 415 and "không nhận JSON" in response.get_data(as_text=True)


@pytest.mark.parametrize("body", ["[1, 2]", "false", '"0912345678"', "12"])
def test_a_login_that_is_not_a_json_object_is_a_400(client, body) -> None:
    response = client.post(
        "/api/session", data=body, content_type="application/json", headers={"X-CSRFToken": csrf_token(client)}
    )
    assert response.status_code == 400 and response.get_json()["error"] == "invalid"


def test_registering_while_signed_in_counts_against_the_address(app, client, runner, monkeypatch) -> None:
    """Each registration signs the new account in: the registration limit must count the address, not the
    account, or one address could register without end."""
    from contest.auth import limits

    assert runner.invoke(args=["units", "import", str(DEMO_DATA / "units.csv")]).exit_code == 0
    statuses = []
    for number in range(32):
        response = client.post(
            "/api/participants",
            json={"name": "Người Thử", "phone": f"0913{number:06d}", "password": "mat-khau-123",
                  "unit_code": "HBX-SKHCN", "category": "civil_servant", "consent": True},
            headers={"X-CSRFToken": csrf_token(client)},
        )  # fmt: skip
        statuses.append(response.status_code)
    assert statuses[0] == 201 and 429 in statuses, statuses
    assert statuses.index(429) <= int(limits.REGISTER_LIMIT.split()[0])


def test_api_login_answers_the_renewed_sessions_csrf_token(client, session, units, clock) -> None:
    from contest.services.people.accounts import create_user

    create_user(session, name="Lê Văn Cường", phone="0912000333", password="mat-khau-123", now=clock())
    session.commit()
    before = csrf_token(client)
    login = client.post(
        "/api/session", json={"phone": "0912000333", "password": "mat-khau-123"}, headers={"X-CSRFToken": before}
    )
    token = login.get_json()["csrf_token"]
    old = client.put("/api/attempts/999/answers/1", json={"options": []}, headers={"X-CSRFToken": before})
    assert old.status_code == 400 and old.get_json()["error"] == "csrf"  # the session, and its token, were renewed
    new = client.put("/api/attempts/999/answers/1", json={"options": []}, headers={"X-CSRFToken": token})
    assert new.status_code == 404


def test_next_is_kept_from_vao_thi_through_registration_to_the_round(client, session, units) -> None:
    """A visitor presses "Vào thi" (/login?next=/rounds/1/take), then "Đăng ký dự thi": registered, they land on
    the round, not on the home page."""
    login_page = client.get("/login?next=/rounds/1/take").get_data(as_text=True)
    link = re.search(r'href="(/register\?next=[^"]+)"', login_page)
    assert link and html.unescape(link.group(1)) == "/register?next=/rounds/1/take"
    register_page = client.get(html.unescape(link.group(1))).get_data(as_text=True)
    assert 'href="/login?next=/rounds/1/take"' in register_page  # and back to logging in, the same way
    response = client.post(html.unescape(link.group(1)), data=_form(client, phone="0987 111 999"))
    assert response.status_code == 302 and response.headers["Location"] == "/rounds/1/take"


def test_the_unit_picker_says_how_many_more_and_puts_word_starts_first(client, session, units) -> None:
    found = client.get("/api/units?q=xa&limit=20").get_json()
    assert len(found["entries"]) == 20 and found["total"] > 20 and found["more"] == found["total"] - 20
    first = client.get("/api/units?q=tinh doan").get_json()["entries"][0]
    assert first["name"] == "Tỉnh đoàn"  # before "Liên đoàn Lao động tỉnh", where both words are inside
    page = client.post("/register", data=_form(client, action="search", unit_q="xa")).get_data(as_text=True)
    assert f"Còn {found['more']} đơn vị nữa: gõ thêm để thu hẹp danh sách." in page
