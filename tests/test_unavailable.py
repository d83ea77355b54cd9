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


def test_a_connection_lost_between_the_statement_and_the_teardown_leaves_the_answer_as_made(
    make_app, database_uri: str
) -> None:
    """A database restarting between a request's statement and its end (PostgreSQL terminates the session; on
    SQLite the connection is closed under it): the answer already made stands, never a 500 from the teardown's
    ROLLBACK on the dead connection, and the next request is served on a fresh connection."""
    from flask import Response
    from sqlalchemy import create_engine, text

    from contest.extensions import db

    app = make_app()
    cut: list[bool] = []

    @app.after_request
    def connection_goes_away(response: Response) -> Response:
        if not cut:
            cut.append(True)
            connection = db.session.connection()  # the request's, in its open transaction
            if connection.dialect.name == "postgresql":
                pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
                admin = create_engine(database_uri, isolation_level="AUTOCOMMIT")
                with admin.connect() as other:
                    other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                admin.dispose()
            else:
                connection.connection.dbapi_connection.close()  # type: ignore[union-attr]
        return response

    client = app.test_client()
    first = client.get("/healthz")
    assert cut and first.status_code == 200 and first.get_json()["database"] == "up"
    again = client.get("/healthz")
    assert again.status_code == 200 and again.get_json()["database"] == "up"


def test_a_request_over_its_budget_stops_with_a_message(runner, make_app) -> None:
    """The heavy exports look at the request's budget as they go: one over it ends with a message (and its thread is
    free again), never held for as long as the work would take."""
    from tests.helpers import csrf_token

    runner.invoke(args=["demo"])  # last week's round: closed, ranked
    slow = make_app(REQUEST_BUDGET_S=1e-9, RATELIMIT_STORAGE_URI="memory://")
    client = slow.test_client()
    client.post("/login", data={"phone": "0900000001", "password": "Demo@2026", "csrf_token": csrf_token(client)})
    response = client.get("/admin/rounds/2/results.xlsx")
    assert response.status_code == 503
    assert "cần nhiều thời gian hơn" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # the worker answers the next request at once


def test_database_statements_have_the_same_budget(make_app, database_uri: str) -> None:
    """PostgreSQL cancels a statement past the budget (asked on each connection; the role's setting covers
    PgBouncer, docs/deployment.md)."""
    from sqlalchemy import text

    from contest.config import engine_options
    from contest.extensions import db

    options = engine_options({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/contest", "REQUEST_BUDGET_S": 2.5})
    assert "statement_timeout=2500" in options["connect_args"]["options"]
    assert "connect_args" not in engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite://", "REQUEST_BUDGET_S": 2.5})
    app = make_app(REQUEST_BUDGET_S=2.5)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert db.session.execute(text("SHOW statement_timeout")).scalar() == "2500ms"
            db.session.rollback()
