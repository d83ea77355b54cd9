"""Fixtures: an app on a real database (SQLite by default, PostgreSQL when DATABASE_URL is set),
cleaned after every test, a real Redis when REDIS_URL is set, and a clock the test controls.

The tests that need a live Redis whatever the pass (`live_redis_url`, `board_redis`) use REDIS_URL when it
is set, else a redis-server private to the session (loopback, a free port, a temporary directory, nothing
saved), stopped at the end; without redis-server they are not run, and one line says so. With CI set, a
missing Redis fails the run instead."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

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
from contest.extensions import limiter
from contest.models import Base
from tests.helpers import csrf_token

pytest_plugins = ["tests.quiz_fixtures"]

# Browser journeys need Chromium and Playwright: `make e2e` collects them (E2E=1), `make test` does not.
collect_ignore = [] if os.environ.get("E2E") == "1" else ["e2e"]


# Argon2id with the least memory and passes it takes: real hashes, checked as in production, at a fraction of a
# millisecond where the production parameters cost 25 ms for each account a test makes and each login it does.
CHEAP_PASSWORD_HASHES = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 64, "ARGON2_PARALLELISM": 1}


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


def _worker() -> tuple[str, int]:
    """The pytest-xdist worker this process is ("gw1" -> ("gw1", 1)), or ("", 0) in a run without workers."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return name, int(name.removeprefix("gw") or 0)


def _test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite in the worker's own temporary folder, or DATABASE_URL; with several workers each has a database of its
    own beside it on the same server (`contest_ci_test_gw1`), created when missing."""
    raw = os.environ.get("DATABASE_URL")
    if not raw:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = make_url(database_url(raw))
    name = url.database or ""
    if "test" not in name:
        pytest.exit(f"refusing to run tests on database {name!r}: its name must contain 'test'", returncode=2)
    worker, _ = _worker()
    if not worker:
        return url.render_as_string(hide_password=False)
    url = url.set(database=f"{name}_{worker}")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    except Exception as error:  # a missing server must fail the run, never skip it
        pytest.exit(f"the test database server {url.render_as_string()} does not answer: {error}", returncode=3)
    finally:
        admin.dispose()
    return url.render_as_string(hide_password=False)


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
    worker, number = _worker()
    if worker:  # each worker its own database number, counting down from the one REDIS_URL names
        parsed = urlsplit(url)
        first = int(parsed.path.strip("/") or 0)
        url = urlunsplit(parsed._replace(path=f"/{(first - number) % 16}"))
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.exit(f"REDIS_URL={url} does not answer: {error}", returncode=3)
    finally:
        client.close()
    return url


# A live Redis for the tests that ask for one of these fixtures, in every pass: REDIS_URL when it is set,
# else the session's private redis-server (started after collection, only when such a test is selected).
LIVE_REDIS_FIXTURES = ("live_redis_url", "board_redis")
_PRIVATE_REDIS = pytest.StashKey["PrivateRedis"]()
_REDIS_NOTE = pytest.StashKey[str]()


class PrivateRedis:
    """A redis-server of this session's own: loopback, a free port, a temporary directory, no persistence."""

    def __init__(self, binary: str) -> None:
        self.directory = tempfile.mkdtemp(prefix="contest-test-redis-")
        self.log = os.path.join(self.directory, "redis.log")
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        try:
            for _ in range(3):  # another process may take the free port before redis-server binds it
                if self._start(binary):
                    return
        except BaseException:
            self.stop()
            raise
        self.stop()
        pytest.exit(f"the private redis-server ({binary}) did not start: {self._log_tail()}", returncode=3)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _start(self, binary: str) -> bool:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        arguments = ["--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.directory, "--logfile", self.log]
        arguments += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"]
        self.process = subprocess.Popen(
            [binary, *arguments], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        try:
            deadline = time.monotonic() + 10
            while self.process.poll() is None and time.monotonic() < deadline:
                try:
                    if client.ping():
                        return True
                except redis.ConnectionError:
                    time.sleep(0.05)
        finally:
            client.close()
        self._terminate()
        return False

    def _log_tail(self) -> str:
        try:
            with open(self.log, encoding="utf-8", errors="replace") as log:
                return " / ".join(log.read().strip().splitlines()[-3:]) or "no log"
        except OSError:
            return "no log"

    def _terminate(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stop(self) -> None:
        self._terminate()
        shutil.rmtree(self.directory, ignore_errors=True)


def _needs_live_redis(item: pytest.Item) -> bool:
    return any(name in getattr(item, "fixturenames", ()) for name in LIVE_REDIS_FIXTURES)


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.hookimpl(trylast=True)  # after -k and -m: start nothing for tests that will not run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    needing = [item for item in items if _needs_live_redis(item)]
    if not needing or os.environ.get("REDIS_URL"):
        return
    binary = shutil.which("redis-server")
    if binary is None:
        files = sorted({item.nodeid.split("::")[0] for item in needing})
        why = "REDIS_URL is not set and no redis-server is installed (apt-get install redis-server)"
        if _ci():
            pytest.exit(f"CI: {len(needing)} tests need Redis ({', '.join(files)}): {why}", returncode=3)
        config.stash[_REDIS_NOTE] = f"not run: {len(needing)} tests that need Redis ({', '.join(files)}): {why}"
        config.hook.pytest_deselected(items=needing)
        items[:] = [item for item in items if not _needs_live_redis(item)]
        return
    server = PrivateRedis(binary)
    config.add_cleanup(server.stop)
    config.stash[_PRIVATE_REDIS] = server
    config.stash[_REDIS_NOTE] = f"redis: {len(needing)} tests used a private redis-server at {server.url}"


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    note = config.stash.get(_REDIS_NOTE, None)
    if note:
        terminalreporter.write_line(note, yellow=note.startswith("not run"))


@pytest.fixture(scope="session")
def live_redis_url(request: pytest.FixtureRequest, redis_url: str | None) -> str:
    """A Redis that answers: REDIS_URL when it is set, else the session's private redis-server."""
    if redis_url:
        return redis_url
    server = request.config.stash.get(_PRIVATE_REDIS, None)
    if server is None:
        pytest.fail("no Redis: REDIS_URL is not set and no private redis-server was started")
    return server.url


@pytest.fixture
def board_redis(app: Flask, live_redis_url: str) -> Iterator[redis.Redis]:
    """The app's Redis client on a live Redis, emptied before and after the test (the board tests)."""
    client = redis.Redis.from_url(live_redis_url)
    client.flushdb()
    app.config["REDIS_URL"] = live_redis_url
    app.extensions["redis_client"] = client
    yield client
    client.flushdb()
    client.close()


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
            **CHEAP_PASSWORD_HASHES,
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
            config.update(CHEAP_PASSWORD_HASHES)
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
    # One Limiter serves every app of this process; an app whose limit store was down left it marked dead, and the
    # next app's limits would go to the in-memory fallback (no shared limits) until a timed re-check: a flake.
    limiter._storage_dead = False


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
