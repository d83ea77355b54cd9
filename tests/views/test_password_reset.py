"""Forgotten passwords (#27 item 6): an email given at registration or on the account page gets a one-time,
expiring link, sent over SMTP to a real server the test starts (aiosmtpd); the same answer whether or not the
address is known; without a mail server the page says whom to ask."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select

from bench.servers import free_port
from contest.models import User
from tests.helpers import csrf_token


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message: email.message.Message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _register(client, phone: str, address: str | None):  # type: ignore[no-untyped-def]
    body = {"name": "Trần Thị Bích Ngọc", "phone": phone, "password": "mat-khau-123", "unit_code": "HBX-SKHCN"}
    if address is not None:
        body["email"] = address
    return client.post(
        "/api/participants",
        json={**body, "category": "citizen", "consent": True},
        headers={"X-CSRFToken": csrf_token(client)},
    )


def test_a_reset_link_by_mail_works_once_and_expires(runner, app, session, clock, smtp) -> None:
    inbox, port = smtp
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_DEFAULT_SENDER="thi@example.gov.vn")
    runner.invoke(args=["units", "import", "contest/demo_data/units.csv"])
    assert _register(app.test_client(), "0987200001", "Ngoc@Example.COM").status_code == 201
    assert _register(app.test_client(), "0987200002", "ngoc@example.com").status_code == 400  # one account each
    client = app.test_client()
    page = client.post("/forgot-password", data={"email": "ngoc@example.com", "csrf_token": csrf_token(client)})
    unknown = client.post("/forgot-password", data={"email": "ai@example.com", "csrf_token": csrf_token(client)})
    said = "liên kết đặt mật khẩu mới đang được gửi tới"
    assert said in page.get_data(as_text=True) and said in unknown.get_data(as_text=True)  # the same answer
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == "ngoc@example.com"
    body = inbox.messages[0].get_payload(decode=True).decode()
    link = re.search(r"http://\S+/reset-password/\S+", body).group(0)
    path = link.split("localhost", 1)[-1] if "localhost" in link else "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    saved = client.post(path, data={"password": "mat-khau-moi-1", "csrf_token": csrf_token(client)})
    assert saved.status_code == 302
    login = client.post(
        "/login", data={"phone": "0987200001", "password": "mat-khau-moi-1", "csrf_token": csrf_token(client)}
    )
    assert login.status_code == 302
    again = app.test_client().post(path, data={"password": "mat-khau-khac-2", "csrf_token": csrf_token(client)})
    assert again.status_code == 400  # used once already
    app.test_client().post("/forgot-password", data={"email": "ngoc@example.com", "csrf_token": csrf_token(client)})
    late = re.search(r"/reset-password/\S+", inbox.messages[-1].get_payload(decode=True).decode()).group(0)
    clock.advance(hours=1, minutes=1)
    assert app.test_client().get(late).status_code == 400  # expired after an hour
    assert "đã hết hạn hoặc đã được dùng" in app.test_client().get(late).get_data(as_text=True)


def test_without_a_mail_server_the_page_says_whom_to_ask(runner, app) -> None:
    runner.invoke(args=["demo"])  # the demo contest gives a contact for help
    client = app.test_client()
    assert 'href="/forgot-password"' in client.get("/login").get_data(as_text=True)
    page = client.get("/forgot-password").get_data(as_text=True)
    assert 'name="email"' not in page and "người quản trị của đơn vị bạn" in page
    assert "thi.cds@hoabinhxanh.gov.vn" in page  # the contest's contact
    assert "Hỗ trợ: " in client.get("/contests/cds-2026").get_data(as_text=True)


def test_the_account_page_sets_and_removes_the_email(runner, app, session) -> None:
    runner.invoke(args=["units", "import", "contest/demo_data/units.csv"])
    client = app.test_client()
    _register(client, "0987200003", None)
    saved = client.post(
        "/account", data={"action": "email", "email": " Bich@Example.com ", "csrf_token": csrf_token(client)}
    )
    assert saved.status_code == 302
    assert session.scalar(select(User.email).where(User.phone == "0987200003")) == "bich@example.com"
    bad = client.post(
        "/account", data={"action": "email", "email": "khong-phai-email", "csrf_token": csrf_token(client)}
    )
    assert bad.status_code == 400
    client.post("/account", data={"action": "email", "email": "", "csrf_token": csrf_token(client)})
    assert session.scalar(select(User.email).where(User.phone == "0987200003")) is None
