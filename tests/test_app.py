"""The application factory, its configuration, the health check and the language switch."""

from __future__ import annotations

import pytest

from contest import create_app
from contest.config import DevelopmentConfig, ProductionConfig, database_url


def test_production_refuses_to_start_without_secret_key(make_app, database_uri: str) -> None:
    class NoSecret(ProductionConfig):
        SECRET_KEY = None
        SQLALCHEMY_DATABASE_URI = database_uri

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app(NoSecret)


def test_production_refuses_to_start_without_its_public_address(make_app, database_uri: str) -> None:
    class NoAddress(ProductionConfig):
        SECRET_KEY = "a-long-random-secret"
        SQLALCHEMY_DATABASE_URI = database_uri
        PUBLIC_URL = ""

    with pytest.raises(RuntimeError, match="PUBLIC_URL is required"):
        make_app(NoAddress)


def test_production_starts_with_secret_key(make_app, database_uri: str) -> None:
    class WithSecret(ProductionConfig):
        SECRET_KEY = "a-long-random-secret"
        SQLALCHEMY_DATABASE_URI = database_uri
        PUBLIC_URL = "https://thi.example.gov.vn"

    app = make_app(WithSecret)
    assert app.config["SECRET_KEY"] == "a-long-random-secret"
    assert not app.debug and not app.testing


def test_development_keeps_a_stable_secret_under_instance(make_app, database_uri: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("contest.config.INSTANCE_DIR", tmp_path)

    class Dev(DevelopmentConfig):
        SECRET_KEY = None
        SQLALCHEMY_DATABASE_URI = database_uri

    first = make_app(Dev).config["SECRET_KEY"]
    second = make_app(Dev).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_database_url_defaults_to_sqlite_under_instance_and_uses_psycopg() -> None:
    assert database_url(None).startswith("sqlite:///") and database_url(None).endswith("instance/contest.db")
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_unknown_environment_name_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("CONTEST_ENV", "staging")
    with pytest.raises(RuntimeError, match="CONTEST_ENV"):
        create_app()


def test_healthz_reports_database_and_redis(client, app) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "up"
    expected = "up" if app.config["REDIS_URL"] else "not configured"
    assert body["redis"] == expected


def test_healthz_stays_up_when_redis_is_down(make_app) -> None:
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "up", "redis": "down"}


def test_healthz_fails_when_database_does_not_answer(make_app, tmp_path) -> None:
    missing = tmp_path / "no-such-dir" / "db.sqlite"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"


def test_pages_are_vietnamese_by_default_and_english_on_request(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Cuộc thi trực tuyến" in page
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "Online contests" in english.get_data(as_text=True)
    assert "lang=en" in english.headers["Set-Cookie"]


def test_chosen_language_is_remembered(client) -> None:
    client.get("/?lang=en")
    assert "Online contests" in client.get("/").get_data(as_text=True)
    client.get("/?lang=vi")
    assert "Cuộc thi trực tuyến" in client.get("/").get_data(as_text=True)


def test_unknown_language_falls_back_to_vietnamese(client) -> None:
    assert '<html lang="vi">' in client.get("/?lang=fr").get_data(as_text=True)


def test_security_headers_on_every_page(client) -> None:
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_api_errors_are_json_and_pages_errors_are_html(client) -> None:
    api = client.get("/api/no-such-call")
    assert api.status_code == 404 and api.get_json()["error"] == "not_found"
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "<h1>" in page.get_data(as_text=True)
    assert "không tồn tại" in page.get_data(as_text=True)


def test_csrf_token_endpoint_gives_a_token(client) -> None:
    token = client.get("/api/csrf").get_json()["csrf_token"]
    assert isinstance(token, str) and len(token) > 20


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(make_app) -> None:
    from flask import request

    seen: list[str | None] = []
    for count in (0, 1):
        app = make_app(PROXY_COUNT=count)
        app.add_url_rule("/whoami", "whoami", lambda: seen.append(request.remote_addr) or "")
        app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen == ["127.0.0.1", "203.0.113.9"]


@pytest.mark.parametrize("path", ["//evil.example", "//evil.example/contests", "/\\evil.example"])
def test_the_language_link_stays_on_this_site(client, path: str) -> None:
    """The link to the other language is built from the route: a path of '//host' must not become an off-site link."""
    page = client.get("/", environ_overrides={"PATH_INFO": path}).get_data(as_text=True)
    link = page.split('hreflang="en"')[0].rsplit('href="', 1)[1].split('"', 1)[0]
    assert link.startswith("/") and not link.startswith(("//", "/\\")), link
    assert "evil.example" not in link


def test_the_language_link_keeps_the_page_and_its_filters(client) -> None:
    page = client.get("/contests/no-such/leaderboard?round=all").get_data(as_text=True)  # the contest's 404
    assert 'href="/contests/no-such/leaderboard?round=all&amp;lang=en"' in page
    assert 'href="/?lang=en"' in client.get("/no-such-page").get_data(as_text=True)  # no route: the home page
    page = client.get("/login?next=/account").get_data(as_text=True)
    assert 'href="/login?next=/account&amp;lang=en"' in page


@pytest.mark.parametrize("query", ["_method=POST", "endpoint=x", "_external=1&_scheme=javascript", "_anchor=x"])
def test_url_for_keywords_in_the_query_do_not_break_the_page(client, query: str) -> None:
    """The language link passes the page's filters on; url_for's own keywords typed in the address are not filters."""
    response = client.get(f"/login?{query}")
    assert response.status_code == 200
    link = response.get_data(as_text=True).split('hreflang="en"')[0].rsplit('href="', 1)[1].split('"', 1)[0]
    assert link.startswith("/login?") and "javascript" not in link


def test_production_without_a_shared_rate_limit_store_says_so_loudly(make_app, caplog) -> None:
    make_app(ENV_NAME="production", TESTING=False, RATELIMIT_STORAGE_URI="memory://", PUBLIC_URL="https://thi.vn")
    assert "RATE LIMITS ARE COUNTED PER PROCESS" in caplog.text
    caplog.clear()
    make_app(
        ENV_NAME="production",
        TESTING=False,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15",
        PUBLIC_URL="https://thi.vn",
    )
    assert "PER PROCESS" not in caplog.text


def test_static_urls_carry_a_hash_of_the_file_so_nginx_may_keep_them_a_year(app, client) -> None:
    """deploy/nginx caches /static/ for a year when the URL has ?v=: the version must change with the content."""
    import hashlib
    from pathlib import Path

    from flask import url_for

    from contest.templating import static_version

    script = Path(app.static_folder or "") / "js" / "quiz.js"
    expected = hashlib.sha256(script.read_bytes()).hexdigest()[:12]
    with app.test_request_context():
        assert url_for("static", filename="js/quiz.js") == f"/static/js/quiz.js?v={expected}"
        assert url_for("static", filename="no-such.js") == "/static/no-such.js"  # nothing to hash: no version
        assert "v=" not in url_for("static", filename="../contest/config.py")  # outside static/: not read
    page = client.get("/").get_data(as_text=True)
    favicon = Path(app.static_folder or "") / "favicon.svg"
    assert f"/static/favicon.svg?v={hashlib.sha256(favicon.read_bytes()).hexdigest()[:12]}" in page
    served = client.get(f"/static/js/quiz.js?v={expected}")
    assert served.status_code == 200 and served.data == script.read_bytes()
    served.close()
    assert static_version(app.static_folder or "", "js/quiz.js") == expected


def test_prepared_statements_can_be_turned_off_for_pgbouncer() -> None:
    """Behind PgBouncer before 1.21 in transaction pooling, psycopg must not prepare statements (they would be
    missing on the next transaction's server connection)."""
    from contest.config import engine_options

    pg = "postgresql+psycopg://contest@127.0.0.1:6432/contest"
    base = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800}}
    off = engine_options({**base, "SQLALCHEMY_DATABASE_URI": pg, "DATABASE_PREPARED_STATEMENTS": False})
    assert off == {"pool_recycle": 1800, "connect_args": {"prepare_threshold": None}}
    assert engine_options({**base, "SQLALCHEMY_DATABASE_URI": pg, "DATABASE_PREPARED_STATEMENTS": True}) == {
        "pool_recycle": 1800
    }
    sqlite = engine_options({**base, "SQLALCHEMY_DATABASE_URI": "sqlite://", "DATABASE_PREPARED_STATEMENTS": False})
    assert "connect_args" not in sqlite  # sqlite3 takes no such argument


@pytest.mark.parametrize("name", ["LOGIN_TRIES_PER_ADDRESS", "DEFAULT_RATE_LIMIT"])
@pytest.mark.parametrize("value", ["120", "120 a minute", "nhiều"])
def test_a_rate_limit_that_cannot_be_read_stops_the_start(make_app, name: str, value: str) -> None:
    # Flask-Limiter would drop it at every request and only log it
    with pytest.raises(RuntimeError, match=name):
        make_app(**{name: value})


def test_the_default_limit_may_be_empty_and_the_login_tries_may_not(make_app) -> None:
    assert make_app(DEFAULT_RATE_LIMIT="").config["DEFAULT_RATE_LIMIT"] == ""
    with pytest.raises(RuntimeError, match="LOGIN_TRIES_PER_ADDRESS"):
        make_app(LOGIN_TRIES_PER_ADDRESS="")
