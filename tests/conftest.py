"""Fixtures: an app on a real database (SQLite by default, PostgreSQL when DATABASE_URL is set),
cleaned after every test, a real Redis when REDIS_URL is set, and a clock the test controls."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from contest import create_app
from contest.config import database_url
from contest.extensions import db as _db
from contest.models import Base

pytest_plugins = ["tests.quiz_fixtures"]

# Browser journeys need Chromium and Playwright: `make e2e` collects them (E2E=1), `make test` does not.
collect_ignore = [] if os.environ.get("E2E") == "1" else ["e2e"]

DEMO_DATA = Path(__file__).resolve().parent.parent / "contest" / "demo_data"


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


def _test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    raw = os.environ.get("DATABASE_URL")
    if not raw:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = database_url(raw)
    name = make_url(url).database or ""
    if "test" not in name:
        pytest.exit(f"refusing to run tests on database {name!r}: its name must contain 'test'", returncode=2)
    return url


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once for the session, from an empty schema."""
    url = _test_database_url(tmp_path_factory)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # a missing server must fail the run, never skip it
        pytest.exit(f"the test database {make_url(url).render_as_string()} does not answer: {error}", returncode=3)
    finally:
        engine.dispose()
    app = create_app({"TESTING": True, "SECRET_KEY": "migrate", "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    yield url


@pytest.fixture(scope="session")
def redis_url() -> str | None:
    """REDIS_URL when the run uses Redis; it must answer, or the run fails."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.exit(f"REDIS_URL={url} does not answer: {error}", returncode=3)
    finally:
        client.close()
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 10, 10, 1, 0, tzinfo=UTC))  # 08:00 in Vietnam on 10 October


def _clean(session: Session) -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(table.name for table in tables)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            session.execute(table.delete())
    session.commit()


@pytest.fixture
def app(database_uri: str, redis_url: str | None, clock: FakeClock) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "REDIS_URL": redis_url,
            "CLOCK": clock,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )

    def forget_cached_locale() -> None:
        # The test holds one app context across requests, where a server gives each request its
        # own: drop what extensions cached on `g` for the previous request (locale, user, CSRF token),
        # before any of the app's own hooks runs.
        for name in list(vars(g)):
            g.pop(name, None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget_cached_locale)

    with app.app_context():
        yield app
        _db.session.rollback()
        _clean(_db.session)
        _db.session.remove()
        client = app.extensions.get("redis_client")
        if client is not None:
            client.flushdb()
            client.close()
        _db.engine.dispose()


@pytest.fixture
def make_app(database_uri: str) -> Iterator[Callable[..., Flask]]:
    """Extra apps a test builds with its own settings; their connections are closed afterwards."""
    made: list[Flask] = []

    def build(config: dict | type | None = None, **settings: object) -> Flask:
        if config is None:
            config = {"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": database_uri, "REDIS_URL": None}
            config.update(settings)
        built = create_app(config)
        made.append(built)
        return built

    yield build
    for built in made:
        with built.app_context():
            _db.engine.dispose()
        client = built.extensions.get("redis_client")
        if client is not None:
            client.close()


@pytest.fixture
def db(app: Flask):  # type: ignore[no-untyped-def]
    return _db


@pytest.fixture
def session(db) -> Session:  # type: ignore[no-untyped-def]
    return db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def is_postgres(db) -> bool:  # type: ignore[no-untyped-def]
    return db.engine.dialect.name == "postgresql"


def csrf_token(client: FlaskClient) -> str:
    return client.get("/api/csrf").get_json()["csrf_token"]


class Auth:
    """Logs a test client in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, phone: str, password: str = "mat-khau-123"):  # type: ignore[no-untyped-def]
        return self.client.post(
            "/login", data={"phone": phone, "password": password, "csrf_token": csrf_token(self.client)}
        )

    def logout(self):  # type: ignore[no-untyped-def]
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client)})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)
