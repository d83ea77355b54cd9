"""Logging in and out: pages and JSON API, CSRF, rate limits, sessions ended by a password change."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.factories import make_user
from tests.helpers import csrf_token


def test_login_page_logs_in_with_any_phone_format_and_logs_out(client, auth, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    response = auth.login("+84 912 345 678")
    assert response.status_code == 302
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Đăng nhập" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_phone_get_the_same_answer(client, auth, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    wrong = auth.login("0912345678", "sai-mat-khau")
    unknown = auth.login("0987654321", "sai-mat-khau")
    assert wrong.status_code == unknown.status_code == 400
    message = "Số điện thoại hoặc mật khẩu không đúng."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_login_form_without_csrf_token_is_refused(client, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    response = client.post("/login", data={"phone": "0912345678", "password": "mat-khau-123"})
    assert response.status_code == 400
    assert "Đăng xuất" not in client.get("/").get_data(as_text=True)


def test_next_only_leads_to_this_site(client, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    data = {"phone": "0912345678", "password": "mat-khau-123", "csrf_token": csrf_token(client)}
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    data["csrf_token"] = csrf_token(client)
    response = client.post("/login?next=/contests/x", data=data)
    assert response.headers["Location"] == "/contests/x"


def test_api_session_login_and_logout(client, session, clock) -> None:
    user = make_user(session, clock(), phone="0912345678")
    session.commit()
    token = csrf_token(client)
    refused = client.post("/api/session", json={"phone": "0912345678", "password": "x"}, headers={"X-CSRFToken": token})
    assert refused.status_code == 401 and refused.get_json()["error"] == "invalid_credentials"
    missing = client.post("/api/session", json={}, headers={"X-CSRFToken": token})
    assert missing.status_code == 400 and set(missing.get_json()["fields"]) == {"phone", "password"}
    ok = client.post(
        "/api/session", json={"phone": "0912 345 678", "password": "mat-khau-123"}, headers={"X-CSRFToken": token}
    )
    assert ok.status_code == 200 and ok.get_json()["id"] == user.id
    out = client.delete("/api/session", headers={"X-CSRFToken": csrf_token(client)})
    assert out.status_code == 200


def test_api_login_needs_the_csrf_header(client, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    response = client.post("/api/session", json={"phone": "0912345678", "password": "mat-khau-123"})
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"


def test_login_is_rate_limited(client, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    token = csrf_token(client)
    statuses = [
        client.post(
            "/api/session", json={"phone": "0912345678", "password": "sai"}, headers={"X-CSRFToken": token}
        ).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]


def test_login_tries_per_address_count_right_ones_too_and_the_setting_sets_them(make_app, session, clock) -> None:
    for number in range(4):
        make_user(session, clock(), phone=f"091234560{number}")
    session.commit()
    app = make_app(LOGIN_TRIES_PER_ADDRESS="3 per minute", RATELIMIT_STORAGE_URI="memory://")

    def log_in(number: int, address: str) -> int:
        client = app.test_client()
        return client.post(
            "/api/session",
            json={"phone": f"091234560{number}", "password": "mat-khau-123"},
            headers={"X-CSRFToken": csrf_token(client)},
            environ_base={"REMOTE_ADDR": address},
        ).status_code

    assert [log_in(number, "198.51.100.20") for number in range(4)] == [200, 200, 200, 429]
    assert log_in(3, "198.51.100.21") == 200  # another address has its own count


def test_changing_the_session_token_ends_existing_sessions(client, auth, session, clock) -> None:
    user = make_user(session, clock(), phone="0912345678")
    session.commit()
    auth.login("0912345678")
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)
    user.session_token = "changed-by-a-password-reset"
    session.commit()
    assert "Đăng xuất" not in client.get("/").get_data(as_text=True)


def test_deactivated_accounts_cannot_log_in(auth, session, clock) -> None:
    user = make_user(session, clock(), phone="0912345678")
    user.active = False
    session.commit()
    assert auth.login("0912345678").status_code == 400


def test_login_still_works_when_the_rate_limit_store_is_down(make_app, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    client = app.test_client()
    token = csrf_token(client)
    wrong = client.post("/api/session", json={"phone": "0912345678", "password": "sai"}, headers={"X-CSRFToken": token})
    assert wrong.status_code == 401
    right = client.post(
        "/api/session", json={"phone": "0912345678", "password": "mat-khau-123"}, headers={"X-CSRFToken": token}
    )
    assert right.status_code == 200


def _api_login(client, password: str, address: str = "198.51.100.7"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/session",
        json={"phone": "0912345678", "password": password},
        headers={"X-CSRFToken": csrf_token(client)},
        environ_base={"REMOTE_ADDR": address},
    )


def test_only_failed_logins_count(client, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    assert [_api_login(client, "mat-khau-123").status_code for _ in range(15)] == [200] * 15


def test_a_stranger_elsewhere_cannot_lock_an_organizer_out(app, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    stranger, organizer = app.test_client(), app.test_client()
    assert [_api_login(stranger, "sai", "203.0.113.66").status_code for _ in range(12)][-1] == 429
    assert _api_login(organizer, "mat-khau-123", "198.51.100.7").status_code == 200


def test_the_page_and_the_api_share_one_count_of_failures(client, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    for _ in range(5):
        page = client.post(
            "/login",
            data={"phone": "0912345678", "password": "sai", "csrf_token": csrf_token(client)},
            environ_base={"REMOTE_ADDR": "198.51.100.7"},
        )
        assert page.status_code == 400
    statuses = [_api_login(client, "sai").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_pages_carry_the_security_headers(client) -> None:
    page = client.get("/")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert "camera=()" in page.headers["Permissions-Policy"]
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in page.headers  # plain http: HSTS only over https
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")  # a year


def test_pages_of_a_logged_in_person_are_not_stored(client, auth, session, clock) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")  # public, anonymous
    make_user(session, clock(), phone="0912345678")
    session.commit()
    auth.login("0912345678")
    for path in ("/account", "/account/data.json"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path


def test_login_starts_a_new_session_and_remembers_staff_briefly(client, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    make_user(session, clock(), phone="0912345679", role="organizer")
    session.commit()
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    _api_login(client, "mat-khau-123")
    with client.session_transaction() as after:
        assert "planted" not in after  # nothing of the earlier session survives the login
    participant_cookie = client.get_cookie("remember_token")
    assert participant_cookie is not None and participant_cookie.secure and participant_cookie.http_only
    organizer = client.application.test_client()
    organizer.post(
        "/api/session",
        json={"phone": "0912345679", "password": "mat-khau-123"},
        headers={"X-CSRFToken": csrf_token(organizer)},
    )
    staff_cookie = organizer.get_cookie("remember_token")
    assert staff_cookie is not None and staff_cookie.expires is not None and participant_cookie.expires is not None
    assert (staff_cookie.expires - datetime.now(UTC)).total_seconds() < 13 * 3600
    assert (participant_cookie.expires - datetime.now(UTC)).days >= 29


def test_logout_ends_the_session_on_the_server(client, session, clock) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()
    _api_login(client, "mat-khau-123")
    copied = client.application.test_client()
    for cookie in ("session", "remember_token"):
        value = client.get_cookie(cookie)
        assert value is not None
        copied.set_cookie(cookie, value.value)
    assert "Đăng xuất" in copied.get("/").get_data(as_text=True)  # the copy works while the session lives
    assert client.delete("/api/session", headers={"X-CSRFToken": csrf_token(client)}).status_code == 200
    assert "Đăng xuất" not in copied.get("/").get_data(as_text=True)  # ended for every copy


def test_organizer_pages_are_not_stored(client, auth, session, clock) -> None:
    make_user(session, clock(), phone="0912345679", role="organizer")
    session.commit()
    auth.login("0912345679")
    assert client.get("/admin/").headers["Cache-Control"] == "private, no-store"


def test_login_page_leads_to_registration_and_explains_a_forgotten_password(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/register"' in page and "Đăng ký dự thi" in page
    assert '<a href="/forgot-password">Quên mật khẩu?</a>' in page  # its own page now: a link by mail, or whom to ask
    assert "người quản trị của đơn vị bạn" in client.get("/forgot-password").get_data(as_text=True)


def test_the_login_page_warns_before_the_lockout_and_the_lockout_page_says_why_and_how_long(
    client, session, clock
) -> None:
    make_user(session, clock(), phone="0912345678")
    session.commit()

    def attempt(password: str):  # type: ignore[no-untyped-def]
        return client.post(
            "/login",
            data={"phone": "0912 345 678", "password": password, "csrf_token": csrf_token(client)},
            environ_base={"REMOTE_ADDR": "198.51.100.8"},
        )

    pages = [attempt("sai").get_data(as_text=True) for _ in range(10)]
    assert all("Còn" not in page or "lần thử" not in page for page in pages[:7])  # no warning while many are left
    assert "Còn 2 lần thử" in pages[7] and "Còn 1 lần thử" in pages[8]
    assert "vui lòng thử lại sau 1 phút" in pages[9] and "Còn 0" not in pages[9]  # the last one says it at once
    locked = attempt("mat-khau-123")  # the right password, once locked
    text = locked.get_data(as_text=True)
    assert locked.status_code == 429 and 'name="password"' in text  # the form stays
    found = re.search(r"vui lòng thử lại sau (\d+) phút", text)
    assert found and 1 <= int(found.group(1)) <= 1 and "cả mật khẩu đúng cũng bị từ chối" in text
    assert 0 < int(locked.headers["Retry-After"]) <= 60


def test_passwords_are_kept_as_argon2id_and_an_older_scrypt_hash_is_replaced_at_login(auth, session, clock) -> None:
    from werkzeug.security import generate_password_hash

    from contest.models import User

    user = make_user(session, clock(), phone="0912345678")
    assert user.password_hash.startswith("$argon2id$")
    assert "mat-khau-123" not in user.password_hash
    user.password_hash = generate_password_hash("mat-khau-cu-1", method="scrypt")  # as accounts made before were
    session.commit()
    assert auth.login("0912345678", "mat-khau-123").status_code == 400
    assert session.get(User, user.id).password_hash.startswith("scrypt:")  # a wrong password changes nothing
    assert auth.login("0912345678", "mat-khau-cu-1").status_code == 302
    session.expire_all()
    replaced = session.get(User, user.id).password_hash
    assert replaced.startswith("$argon2id$")
    auth.logout()
    assert auth.login("0912345678", "mat-khau-cu-1").status_code == 302
    session.expire_all()
    assert session.get(User, user.id).password_hash == replaced  # replaced once, not at every login


def test_an_unusable_stored_hash_matches_no_password(session, clock) -> None:
    from contest.services.people.passwords import verify_password

    assert not verify_password("!", "!")
    assert not verify_password("", "")
    assert not verify_password("$argon2id$v=19$m=64,t=1,p=1$broken", "x")


def test_the_settings_default_to_owasps_argon2id_parameters(make_app, database_uri) -> None:
    from contest.services.people.passwords import hash_password

    built = make_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": database_uri, "REDIS_URL": None})
    with built.app_context():
        assert "$v=19$m=19456,t=2,p=1$" in hash_password("mat-khau-123")
