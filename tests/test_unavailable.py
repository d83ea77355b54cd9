"""A database (or Redis) that does not answer gives a 503 with Retry-After and a message in Vietnamese, never a
500; /healthz says which part is down (#14)."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy.exc import OperationalError

from contest.services.ranking import leaderboard


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens there once the socket is closed


@pytest.fixture(params=["postgresql", "sqlite"])
def down_app(request, make_app, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "postgresql":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/contest_test"
    else:
        url = f"sqlite:///{tmp_path / 'no-such-folder' / 'contest.db'}"  # cannot be opened
    return make_app(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 1}} if request.param == "postgresql" else {},
    )


def test_pages_and_api_answer_503_with_retry_after_while_the_database_is_down(down_app) -> None:
    client = down_app.test_client()
    page = client.get("/contests/cds")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    text = page.get_data(as_text=True)
    assert "Hệ thống đang bận hoặc đang khởi động lại" in text and "Traceback" not in text
    api = client.get("/api/rounds/1/leaderboard")
    assert api.status_code == 503 and api.get_json()["error"] == "unavailable" and api.headers["Retry-After"] == "5"
    assert "Hệ thống đang bận" in api.get_json()["message"]
    saved = client.put("/api/attempts/1/answers/1", json={"options": [1]})
    assert saved.status_code in (400, 401, 503)  # CSRF or login first: never a 500
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "down"


def test_a_signed_in_visitor_gets_the_503_page_too(make_app, app, session, clock, tmp_path, monkeypatch) -> None:
    """The account is loaded from the database on every page: its failure must not turn the 503 into a 500."""
    from tests.helpers import participant_client
    from tests.quiz_fixtures import make_tree

    _root, unit, _other = make_tree(session)
    client = participant_client(app, session, clock, "0912000111", unit, "Người Thử")

    def fail(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(leaderboard, "individual_page", fail)
    from contest.extensions import login_manager

    monkeypatch.setattr(login_manager, "_user_callback", fail)
    page = client.get("/account")
    assert page.status_code == 503 and "Hệ thống đang bận" in page.get_data(as_text=True)
